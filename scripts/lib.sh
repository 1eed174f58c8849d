# shellcheck shell=bash
# Shared helpers of scripts/run and scripts/test. Sourced, not executed.
# Copyright 2026 logistics_followup contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
ADDON=logistics_followup

say() { printf '%s\n' "$*"; }
warn() { printf '%s\n' "$*" >&2; }
die() { warn "error: $*"; exit 1; }

is_root() { [ "$(id -u)" = 0 ]; }

# find_odoo: sets ODOO_PY to a Python that imports Odoo 19, looking where
# README.rst says ("Prerequisites"): $ODOO_PYTHON, /opt/odoo/venv/bin/python, python3.
# Always sets ODOO_LOOKED to a human-readable list of the places tried.
find_odoo() {
    local cand why
    ODOO_PY=""
    ODOO_LOOKED=""
    for cand in "${ODOO_PYTHON:-}" /opt/odoo/venv/bin/python "$(command -v python3 || true)"; do
        [ -n "$cand" ] || continue
        if [ ! -x "$cand" ]; then
            why="not found"
        elif "$cand" -c 'import sys, odoo.release as r; sys.exit(r.version_info[0] != 19)' 2>/dev/null; then
            ODOO_PY=$cand
            return 0
        elif "$cand" -c 'import odoo' 2>/dev/null; then
            why="imports an Odoo that is not 19"
        else
            why="cannot import odoo"
        fi
        ODOO_LOOKED="${ODOO_LOOKED:+$ODOO_LOOKED; }$cand ($why)"
    done
    [ -n "${ODOO_PYTHON:-}" ] || ODOO_LOOKED="\$ODOO_PYTHON (unset); $ODOO_LOOKED"
    return 1
}

# odoo_addons_path: our repository plus the core addons of a source checkout
# (a packaged Odoo keeps them inside odoo/addons, found without help).
odoo_addons_path() {
    local src
    src=$("$ODOO_PY" -c 'import os, odoo.release as r; print(os.path.dirname(os.path.dirname(os.path.abspath(r.__file__))))')
    if [ -d "$src/addons/web" ]; then
        printf '%s,%s\n' "$REPO_ROOT" "$src/addons"
    else
        printf '%s\n' "$REPO_ROOT"
    fi
}

odoo_cmd() { "$ODOO_PY" -m odoo "$@"; }

# pip_quiet PYTHON ARGS...: pip install without the notices of unreachable
# extra indexes some machines configure; the exit status is pip's.
pip_quiet() {
    local py=$1
    shift
    "$py" -m pip install -q --disable-pip-version-check "$@" 2> >(grep -v "is ignored: it is neither" >&2)
}

apt_updated=""
apt_install() {
    # apt_install PKG...: installs the Debian packages that are missing.
    local missing=() pkg
    for pkg in "$@"; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    if ! is_root; then
        warn "missing Debian packages: ${missing[*]}; install them (sudo apt-get install ${missing[*]}) and run again"
        return 1
    fi
    command -v apt-get >/dev/null || { warn "missing packages ${missing[*]} and no apt-get to install them"; return 1; }
    say "installing Debian packages: ${missing[*]}"
    if [ -z "$apt_updated" ]; then
        DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null || return 1
        apt_updated=1
    fi
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# ensure_postgres: a PostgreSQL server answering on the default socket, and a
# role for the current OS user (Odoo refuses to connect as "postgres").
ensure_postgres() {
    local ver
    if ! command -v pg_isready >/dev/null 2>&1 || ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
        if ! pg_isready -q 2>/dev/null; then
            apt_install postgresql || die "PostgreSQL is not installed"
        fi
    fi
    if ! pg_isready -q 2>/dev/null; then
        is_root || die "PostgreSQL is not running; start it (sudo pg_ctlcluster <version> main start) and run again"
        ver=$(ls /usr/lib/postgresql | sort -V | tail -n 1)
        if ! pg_lsclusters -h 2>/dev/null | grep -q "^$ver main"; then
            pg_createcluster "$ver" main >/dev/null || die "could not create a PostgreSQL $ver cluster"
        fi
        say "starting PostgreSQL $ver"
        pg_ctlcluster "$ver" main start || die "could not start PostgreSQL $ver"
        for _ in $(seq 1 30); do pg_isready -q && break; sleep 1; done
        pg_isready -q || die "PostgreSQL did not come up"
    fi
    [ "$(id -un)" != postgres ] || die "run as a user other than postgres: Odoo refuses that database role"
    if ! psql -d postgres -Atqc 'select 1' >/dev/null 2>&1; then
        is_root || die "no PostgreSQL role for $(id -un); create one: sudo -u postgres createuser -d $(id -un)"
        su postgres -c "createuser -s $(id -un)" || die "could not create the PostgreSQL role $(id -un)"
    fi
}

# ensure_odoo_deps: the project's pinned Python packages in the Odoo
# environment, and the Debian packages tier 3 needs (browser, PDF).
ensure_odoo_deps() {
    local stamp="$REPO_ROOT/.venv-stamps/odoo-$(printf '%s' "$ODOO_PY" | md5sum | cut -c1-8)"
    local want
    want=$(cat "$REPO_ROOT/requirements/odoo-addons.txt" "$REPO_ROOT/requirements/odoo-test.txt" | md5sum | cut -c1-32)
    if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
        say "installing the pinned Python packages into the Odoo environment ($ODOO_PY)"
        pip_quiet "$ODOO_PY" --no-deps -r "$REPO_ROOT/requirements/odoo-addons.txt" || die "pip could not install requirements/odoo-addons.txt"
        pip_quiet "$ODOO_PY" -r "$REPO_ROOT/requirements/odoo-test.txt" || die "pip could not install requirements/odoo-test.txt"
        mkdir -p "$(dirname "$stamp")" && printf '%s' "$want" >"$stamp"
    fi
}

ensure_browser_and_pdf() {
    apt_install chromium wkhtmltopdf fonts-noto-cjk poppler-utils || warn "browser tours or PDF rendering may be skipped"
    # Odoo gives Chrome 10 s to open its debugging port; a first start on a
    # cold machine (binary and libraries not yet in the page cache) can take
    # longer and the browser test is then skipped with a warning. One
    # throw-away start first.
    local chrome profile
    chrome=$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)
    if [ -n "$chrome" ]; then
        profile=$(mktemp -d)
        timeout 60 "$chrome" --headless --no-sandbox --disable-gpu --no-first-run \
            --disable-background-networking --disable-component-update --disable-sync \
            --user-data-dir="$profile" --dump-dom about:blank >/dev/null 2>&1 || true
        rm -rf "$profile"
    fi
}

free_port() {
    python3 - <<'PY'
import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])
s.close()
PY
}
