# Copyright 2026 Nube CRM
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from bisect import bisect_right
from datetime import timedelta

from pytz import utc

from odoo import models

# how far ahead the first fetch of working intervals looks, and the limit
PLAN_WINDOW = timedelta(days=31)
PLAN_HORIZON = timedelta(days=3 * 366)


class ResourceCalendar(models.Model):
    _inherit = "resource.calendar"

    def _complaint_work_intervals(self, start, end):
        """Working intervals of the calendar between two naive UTC datetimes,
        as naive UTC pairs: core's ``_work_intervals_batch`` (attendances in the
        calendar's time zone, minus its leaves and the public holidays)."""
        self.ensure_one()
        intervals = self._work_intervals_batch(utc.localize(start), utc.localize(end))[
            False
        ]
        return [
            (
                begin.astimezone(utc).replace(tzinfo=None),
                stop.astimezone(utc).replace(tzinfo=None),
            )
            for begin, stop, _meta in intervals
        ]

    def _complaint_plan_hours_batch(self, tasks):
        """Plan many ``(start, hours)`` tasks at once (naive UTC datetimes).

        Returns, for each task, what ``plan_hours(hours, start,
        compute_leaves=True)`` returns (as naive UTC), but fetches the working
        intervals once for all tasks instead of once per task: computing the
        deadlines of many complaints costs a constant number of queries per
        calendar. The window grows only if some task needs more time.
        """
        self.ensure_one()
        results = [False] * len(tasks)
        todo = [
            index
            for index, (start, hours) in enumerate(tasks)
            if start and hours is not None and hours >= 0
        ]
        if not todo:
            return results
        first = min(tasks[index][0] for index in todo)
        last = max(tasks[index][0] for index in todo)
        window = PLAN_WINDOW
        while todo:
            intervals = self._complaint_work_intervals(first, last + window)
            ends = [stop for _begin, stop in intervals]
            unplanned = []
            for index in todo:
                start, left = tasks[index]
                for begin, stop in intervals[bisect_right(ends, start) :]:
                    begin = max(begin, start)
                    available = (stop - begin).total_seconds() / 3600
                    if left <= available:
                        results[index] = begin + timedelta(hours=left)
                        break
                    left -= available
                else:
                    unplanned.append(index)
            todo = unplanned
            if window >= PLAN_HORIZON:
                break
            window = min(window * 4, PLAN_HORIZON)
        return results

    def _complaint_work_hours_batch(self, periods):
        """Working hours in each ``(start, end)`` period (naive UTC), from one
        fetch of the working intervals; the same as ``get_work_hours_count``."""
        self.ensure_one()
        valid = [
            (start, end) for start, end in periods if start and end and end > start
        ]
        if not valid:
            return [0.0] * len(periods)
        intervals = self._complaint_work_intervals(
            min(start for start, _end in valid), max(end for _start, end in valid)
        )
        ends = [stop for _begin, stop in intervals]
        result = []
        for start, end in periods:
            total = 0.0
            if start and end and end > start:
                for begin, stop in intervals[bisect_right(ends, start) :]:
                    if begin >= end:
                        break
                    overlap = min(stop, end) - max(begin, start)
                    total += max(overlap.total_seconds(), 0) / 3600
            result.append(total)
        return result
