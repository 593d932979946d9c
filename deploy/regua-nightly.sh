#!/usr/bin/env bash
# The nightly sequence: decide and publish the night, hand it to the gateways, read what came back.
# Exit codes (SPEC §6) are passed on so that systemd or cron can alert:
#   run      0 done, 1 done with rejected rows (see out/<date>/rejects.csv), 2 refused, 3 I/O, 4 locked
#   deliver  0 all accepted, 1 some failed / gave up / uncertain (see the JSON log), 2 refused, 3 I/O, 4 locked
#   feedback 0 done, 3 a source could not be read
# A run that ends 1 still delivers; anything above 1 stops the sequence.
set -uo pipefail
cd "${REGUA_HOME:-/srv/regua}"
REGUA="${REGUA:-/usr/local/bin/regua}"
GATEWAYS="${REGUA_GATEWAYS:-/etc/regua/gateways.yaml}"
LOGDIR="${REGUA_LOGDIR:-/var/log/regua}"
mkdir -p "$LOGDIR"
stamp=$(date +%Y-%m-%d)

# Feedback first: bounces and reports that arrived since yesterday count from tonight's night on.
"$REGUA" feedback --dsn /var/mail/regua-bounces/ --sms-dlr /var/lib/regua/dlr.csv --json \
  >"$LOGDIR/feedback-$stamp.json"
fb=$?
[ $fb -le 1 ] || echo "regua feedback failed ($fb)" >&2

"$REGUA" run --rules rules --customers inbox/customers.csv --receivables inbox/receivables.csv --json \
  >"$LOGDIR/run-$stamp.json"
run=$?
if [ $run -gt 1 ]; then
  echo "regua run failed ($run); nothing delivered" >&2
  exit $run
fi

"$REGUA" deliver --gateways "$GATEWAYS" --json >"$LOGDIR/deliver-$stamp.json"
del=$?
[ $del -eq 0 ] || echo "regua deliver ended $del: see $LOGDIR/deliver-$stamp.json" >&2
# The worst of the three, so one alert covers the night.
worst=$run; [ $del -gt $worst ] && worst=$del; [ $fb -gt $worst ] && worst=$fb
exit $worst
