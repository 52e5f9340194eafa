# Genuine exhaustion: an anonymous hog fills RAM; there is no swap.
. /oomsnap/guest-lib.sh
scn_load
scn_victim memhog
scn_report
