from . import test_campaign_responses
