#!/usr/bin/env bash
# Set up everything `make run` and `make test` need, idempotently:
#   1. Odoo 19: Debian's `odoo-19` package (plus the JS and font packages its web client links to),
#      downloaded once into a cache outside the repository and extracted under .odoo/ -- or an existing
#      Odoo 19 source tree given as ODOO_SRC=/path/to/odoo.
#   2. A virtual environment .venv/ with the pinned Python dependencies (requirements.txt), `odoo`
#      importable and .venv/bin/odoo starting the server like a pip-installed Odoo, and the OCA
#      addons the optional bridges work with (the `odoo-addon-*` pins of requirements.txt), installed
#      as wheels the way OCA addons are installed, without their `odoo` dependency.
#   3. A PostgreSQL server: the one PGHOST/PGPORT/PGUSER or the local socket reach, else Debian's
#      `postgresql` is installed and a cluster started.
#   4. Chromium for the browser tests (Debian's `chromium`), when it is not on PATH.
# Nothing is added to the machine's apt sources: packages from Debian unstable are fetched with a
# private apt state in the cache, using the mirror the machine's apt configuration already names.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
CACHE=${CRM_ODOO_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/crm-odoo}
VENV=${VENV:-$ROOT/.venv}
PYTHON=${PYTHON:-python3}
ODOO_PREFIX=$ROOT/.odoo
ODOO_DEB_PACKAGE=odoo-19
# Packages the web client's symlinks point into (/usr/share/javascript, /usr/share/fonts...).
# Font Awesome must stay 4.x (Odoo's icon names), so these come from the machine's stable suite;
# Montserrat is only in unstable.
STABLE_ASSET_PACKAGES="libjs-jquery libjs-jquery-form libjs-underscore fonts-font-awesome
  fonts-roboto-unhinted fonts-inconsolata fonts-ocr-b"
SID_ASSET_PACKAGES="fonts-montserrat"

log() { printf '\033[1;34m[setup]\033[0m %s\n' "$*" >&2; }
die() { printf '\033[1;31m[setup] %s\033[0m\n' "$*" >&2; exit 1; }

as_root() {
    if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
        die "need root to run: $*"
    fi
}

# Install Debian packages from the machine's own apt sources (only when missing).
apt_install() {
    local missing=()
    for p in "$@"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
    [ ${#missing[@]} -eq 0 ] && return 0
    log "installing Debian packages: ${missing[*]}"
    as_root apt-get update -qq || true
    DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

# The Debian mirror the machine already uses; DEBIAN_MIRROR overrides it.
debian_mirror() {
    if [ -n "${DEBIAN_MIRROR:-}" ]; then echo "$DEBIAN_MIRROR"; return; fi
    local m=""
    if [ -f /etc/apt/sources.list.d/debian.sources ]; then
        m=$(awk '/^URIs:/ {print $2; exit}' /etc/apt/sources.list.d/debian.sources)
    fi
    if [ -z "$m" ] && [ -f /etc/apt/sources.list ]; then
        m=$(awk '$1 == "deb" && $0 !~ /security/ {for (i = 2; i <= NF; i++) if ($i ~ /^[a-z]+:\/\//) {print $i; exit}}' \
            /etc/apt/sources.list)
    fi
    [ -n "$m" ] || die "no Debian mirror found in the apt configuration; set DEBIAN_MIRROR"
    echo "$m"
}

stable_suite() {
    if [ -n "${DEBIAN_STABLE_SUITE:-}" ]; then echo "$DEBIAN_STABLE_SUITE"; return; fi
    . /etc/os-release 2>/dev/null || true
    echo "${VERSION_CODENAME:-stable}"
}

# --- 1. Odoo 19 ----------------------------------------------------------------------------------
fetch_debs() {
    local apt_dir=$CACHE/apt debs=$CACHE/debs
    mkdir -p "$apt_dir/lists/partial" "$apt_dir/cache/archives/partial" "$debs"
    if ls "$debs"/${ODOO_DEB_PACKAGE}_*.deb >/dev/null 2>&1 && [ -f "$debs/.complete" ]; then
        return 0
    fi
    command -v apt-get >/dev/null || die "apt-get not found: set ODOO_SRC to an Odoo 19 source tree"
    local mirror suite
    mirror=$(debian_mirror)
    suite=$(stable_suite)
    log "fetching $ODOO_DEB_PACKAGE from Debian sid ($mirror) into $CACHE"
    {
        echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $mirror sid main"
        echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $mirror $suite main"
    } >"$apt_dir/sources.list"
    local o=(-o "Dir::Etc::SourceList=$apt_dir/sources.list" -o Dir::Etc::SourceParts=/dev/null
        -o "Dir::State::Lists=$apt_dir/lists" -o "Dir::Cache=$apt_dir/cache"
        -o "Dir::State::status=/dev/null" -o APT::Sandbox::User=root -qq)
    apt-get "${o[@]}" update
    local pkgs=("$ODOO_DEB_PACKAGE/sid")
    for p in $STABLE_ASSET_PACKAGES; do pkgs+=("$p/$suite"); done
    for p in $SID_ASSET_PACKAGES; do pkgs+=("$p/sid"); done
    (cd "$debs" && apt-get "${o[@]}" download "${pkgs[@]}")
    touch "$debs/.complete"
}

setup_odoo() {
    if [ -n "${ODOO_SRC:-}" ]; then
        [ -f "$ODOO_SRC/odoo/release.py" ] || die "ODOO_SRC=$ODOO_SRC has no odoo/release.py"
        ODOO_PKG=$(cd "$ODOO_SRC/odoo" && pwd)
        log "using the Odoo source tree $ODOO_SRC"
        return
    fi
    ODOO_PKG=$ODOO_PREFIX/usr/lib/python3/dist-packages/odoo
    local stamp=$ODOO_PREFIX/.extracted
    fetch_debs
    local want
    want=$(cd "$CACHE/debs" && ls ./*.deb | sort | tr '\n' ' ')
    if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] && [ -f "$ODOO_PKG/release.py" ]; then
        return
    fi
    log "extracting Odoo 19 into $ODOO_PREFIX"
    rm -rf "$ODOO_PREFIX"
    mkdir -p "$ODOO_PREFIX"
    for deb in "$CACHE"/debs/*.deb; do dpkg-deb -x "$deb" "$ODOO_PREFIX"; done
    # Debian also ships python-only copies of the addons next to the package; Odoo would put
    # that incomplete tree on its addons path, so drop it (odoo/addons/ has the real ones).
    rm -rf "$ODOO_PREFIX/usr/lib/python3/dist-packages/addons"
    local broken
    broken=$(find "$ODOO_PKG/addons/web/static" -xtype l | head -n 5)
    [ -z "$broken" ] || die "web client links unresolved after extraction: $broken"
    echo "$want" >"$stamp"
}

# --- 2. Virtual environment ----------------------------------------------------------------------
setup_venv() {
    if [ ! -x "$VENV/bin/python" ]; then
        "$PYTHON" -c 'import sys; sys.exit(not ((3, 10) <= sys.version_info[:2] <= (3, 13)))' ||
            die "Odoo 19 needs Python 3.10 to 3.13 (set PYTHON=...)"
        "$PYTHON" -c 'import venv, ensurepip' 2>/dev/null || apt_install python3-venv
        log "creating $VENV"
        "$PYTHON" -m venv "$VENV"
    fi
    local stamp=$VENV/.requirements.sha256 want
    want=$(sha256sum "$ROOT/requirements.txt" | cut -d' ' -f1)
    if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
        # Build dependencies of the few packages without wheels (psycopg2, python-ldap-free set).
        command -v pg_config >/dev/null || apt_install libpq-dev
        command -v gcc >/dev/null || apt_install gcc
        "$PYTHON" -c 'import sysconfig, os, sys; sys.exit(not os.path.exists(os.path.join(sysconfig.get_paths()["include"], "Python.h")))' ||
            apt_install python3-dev
        log "installing Python dependencies into $VENV"
        # (pip's notes about absent local mirrors of this machine are noise: filtered out)
        "$VENV/bin/python" -m pip install -q --upgrade pip wheel 2>&1 | sed '/is ignored: it is neither/d'
        # the OCA addon wheels are installed apart, without dependencies (setup_oca_addons)
        grep -vE '^odoo-addon-' "$ROOT/requirements.txt" >"$VENV/.requirements-python.txt"
        "$VENV/bin/python" -m pip install -q -r "$VENV/.requirements-python.txt" 2>&1 | sed '/is ignored: it is neither/d'
        echo "$want" >"$stamp"
    fi
    # `import odoo` from the venv, as after `pip install odoo`: a .pth file puts the directory that
    # holds Odoo's `odoo` package on the venv's path. Odoo 19's `odoo` and `odoo.addons` are namespace
    # packages, so the addons that odoo-addon-* wheels install into the venv's own odoo/addons/ join
    # Odoo's addons (as in a pip-installed Odoo), and Odoo's tree is never written into.
    local site
    site=$("$VENV/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')
    # earlier setups linked $site/odoo to Odoo's package: the wheels would land in Odoo's tree
    [ -L "$site/odoo" ] && rm "$site/odoo"
    if [ "$(cat "$site/crm-odoo.pth" 2>/dev/null)" != "$(dirname "$ODOO_PKG")" ]; then
        dirname "$ODOO_PKG" >"$site/crm-odoo.pth"
    fi
    setup_oca_addons "$site"
    cat >"$VENV/bin/odoo" <<PY
#!$VENV/bin/python
import sys

import odoo.cli

if __name__ == "__main__":
    sys.exit(odoo.cli.main())
PY
    chmod +x "$VENV/bin/odoo"
}

# The OCA addons of the optional bridges: the `odoo-addon-<name>==<version>` lines of
# requirements.txt. Their wheels require the `odoo` project, which on PyPI is an empty placeholder:
# pip installs them with --no-deps, so it never touches our Odoo (their other dependencies, if
# any, are pinned in requirements.txt like the rest). The wheels are cached like Odoo's packages.
setup_oca_addons() {
    local site=$1 wheels=$CACHE/wheels pins stamp=$VENV/.oca-addons.sha256 want missing=0 pin
    pins=$(sed -nE 's/^(odoo-addon-[A-Za-z0-9_.-]+==[^[:space:]#]+).*/\1/p' "$ROOT/requirements.txt")
    [ -n "$pins" ] || return 0
    want=$(printf '%s\n' "$pins" | sha256sum | cut -d' ' -f1)
    for pin in $pins; do
        pin=${pin%%==*}
        [ -f "$site/odoo/addons/${pin#odoo-addon-}/__manifest__.py" ] || missing=1
    done
    if [ "$missing" = 0 ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
        return 0
    fi
    mkdir -p "$wheels"
    # files gone (an Odoo tree extracted again, an earlier layout): install them again
    local force=()
    [ "$missing" = 0 ] || force=(--force-reinstall)
    # shellcheck disable=SC2086  # one pin per word
    if ! "$VENV/bin/python" -m pip install -q --no-deps "${force[@]}" --no-index --find-links "$wheels" $pins \
        >/dev/null 2>&1; then
        log "fetching the OCA addons into $wheels: $(echo $pins)"
        "$VENV/bin/python" -m pip download -q --no-deps --dest "$wheels" $pins 2>&1 |
            sed '/is ignored: it is neither/d'
        "$VENV/bin/python" -m pip install -q --no-deps "${force[@]}" --no-index --find-links "$wheels" $pins
    fi
    for pin in $pins; do
        pin=${pin%%==*}
        [ -f "$site/odoo/addons/${pin#odoo-addon-}/__manifest__.py" ] ||
            die "${pin#odoo-addon-} is not in $site/odoo/addons after installing $pin"
    done
    echo "$want" >"$stamp"
}

# --- 3. PostgreSQL -------------------------------------------------------------------------------
pg_answers() { psql -d postgres -Atqc 'select 1' >/dev/null 2>&1; }

setup_postgres() {
    command -v psql >/dev/null || apt_install postgresql-client
    if pg_answers; then return; fi
    if [ -z "${PGHOST:-}" ] || [ "${PGHOST:-}" = localhost ] || [ "${PGHOST:0:1}" = / ]; then
        log "no PostgreSQL answers: installing and starting Debian's postgresql"
        apt_install postgresql
        local v
        v=$(ls /etc/postgresql 2>/dev/null | sort -V | tail -n 1)
        [ -n "$v" ] || die "postgresql installed but no cluster found in /etc/postgresql"
        as_root pg_ctlcluster --skip-systemctl-redirect "$v" main start || true
        for _ in $(seq 1 30); do
            as_root su postgres -c "psql -Atqc 'select 1'" >/dev/null 2>&1 && break
            sleep 1
        done
        local me
        me=${PGUSER:-$(id -un)}
        as_root su postgres -c "psql -Atqc \"select 1 from pg_roles where rolname = '$me'\"" | grep -q 1 ||
            as_root su postgres -c "createuser --createdb --superuser '$me'"
        as_root su postgres -c "psql -Atqc \"select 1 from pg_database where datname = 'postgres'\"" >/dev/null
    fi
    pg_answers || die "PostgreSQL does not answer (PGHOST=${PGHOST:-socket} PGUSER=${PGUSER:-$(id -un)})"
}

# --- 4. Chromium (browser tests, screenshots) ----------------------------------------------------
setup_browser() {
    [ "${CRM_SKIP_BROWSER:-0}" = 1 ] && return
    command -v chromium >/dev/null || command -v chromium-browser >/dev/null || command -v google-chrome >/dev/null ||
        apt_install chromium
}

main() {
    setup_odoo
    setup_venv
    setup_postgres
    setup_browser
    log "ready: $("$VENV/bin/python" -c 'import odoo.release as r; print(r.description, r.version)') in $VENV"
}

main "$@"
