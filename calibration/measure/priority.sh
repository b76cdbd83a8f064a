# Sourced by the run_*.sh scripts. Real-process timings need the CPU when they want it. Linux's
# sched_autogroup (enabled here: /proc/sys/kernel/sched_autogroup_enabled = 1) gives every session
# an equal CPU share whatever the nice value of its processes, so other sessions' niced builds
# would still take 5/6 of the cores from a measurement. Raising this session's autogroup weight
# (needs root) restores what `nice` intends: the builds run on what the measurement leaves idle.
# Each data file records the load average anyway. No effect if autogroups are off.
if [[ -w /proc/self/autogroup ]] && [[ "$(cat /proc/sys/kernel/sched_autogroup_enabled 2>/dev/null)" == 1 ]]; then
  echo "${MEASURE_AUTOGROUP_NICE:--15}" > /proc/self/autogroup 2>/dev/null || true
  echo "priority: $(cat /proc/self/autogroup)" >&2
fi
