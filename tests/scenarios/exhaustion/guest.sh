#!/bin/sh
# Genuine exhaustion: an anonymous hog fills RAM; there is no swap.
# shellcheck source=tests/scenarios/guest-lib.sh
. /oomsnap/guest-lib.sh
scn_load
scn_victim memhog
scn_report
