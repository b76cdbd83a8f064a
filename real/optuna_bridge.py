"""samplersim's Python side of real-library mode: runs the installed Optuna under the simulator.

Embedded in the samplersim binary (real/CMakeLists via cmake/embed_text.cmake) and executed once
per process, before Optuna is imported, in an interpreter whose every simulated worker is one real
thread holding a baton (real/worker_link.h). Nothing here reads the wall clock or OS entropy:

- time.time/time.time_ns/time.monotonic/time.perf_counter/time.sleep and datetime.datetime.now/
  utcnow read or wait on the calling worker's virtual clock (samplersim_native);
- numpy's OS entropy (RandomState() without a seed, RandomState.seed() in reseed_rng) and the
  module-level functions of `random` draw from the calling process's entropy stream, derived from
  the run seed;
- SimStorage implements Optuna 3.x's BaseStorage (optuna/storages/_base.py) for one study, plus
  the three RDBStorage hooks that Optuna's _CachedStorage calls; every call a worker makes is one
  timed store operation whose effect is applied at its linearization instant
  (samplersim_native.begin/end), and is mirrored into samplersim's StudyStore for metrics. Each
  process sees it through its own _CachedStorage, as every process of an RDB study does.

- optimize(n_jobs > 1) runs Optuna's own _optimize on the process's main thread, with
  _SimThreadPool in place of concurrent.futures' ThreadPoolExecutor and `wait`: its pool threads
  are simulated workers too (run_pool_thread), parked on the engine while they have no job.

Limits (README "Real-library mode"): one study per run, GridSampler-style categorical grids, the
only template trials are enqueue_trial's (WAITING, fixed_params on the grid); the interpreter is
shared by the simulated processes, so module-level caches of the host's Python leak between them.
"""

import collections
import copy
import itertools
import traceback
import warnings
import datetime as _datetime
import random as _random
import threading
import time as _time

import samplersim_native as _sim

# ---------------------------------------------------------------- virtual clock (before optuna)
_EPOCH_S = 1_767_225_600  # 2026-01-01T00:00:00Z: virtual time 0, so datetimes look ordinary


def _now_s():
    return _EPOCH_S + _sim.now_us() / 1e6


_time.time = _now_s
_time.time_ns = lambda: (_EPOCH_S * 1_000_000 + _sim.now_us()) * 1000
_time.monotonic = _now_s
_time.perf_counter = _now_s
_time.sleep = lambda seconds: _sim.sleep_us(max(0, int(round(float(seconds) * 1e6))))


class _VirtualDatetime(_datetime.datetime):
    @classmethod
    def now(cls, tz=None):
        return _datetime.datetime.fromtimestamp(_now_s(), tz if tz is not None else _datetime.timezone.utc).replace(
            tzinfo=tz)

    @classmethod
    def utcnow(cls):
        return cls.now()

    @classmethod
    def today(cls):
        return cls.now()


_datetime.datetime = _VirtualDatetime

# ---------------------------------------------------------------- entropy (before optuna)
_tls = threading.local()


def _entropy_bits(k):
    value = 0
    for _ in range((k + 63) // 64):
        value = (value << 64) | _sim.entropy_u64()
    return value >> (((k + 63) // 64) * 64 - k)


def _install_numpy_entropy():
    import numpy.random.bit_generator as bit_generator

    bit_generator.randbits = _entropy_bits  # SeedSequence() with entropy=None draws here


def _process_random():
    rng = getattr(_tls, "rng", None)
    if rng is None:
        raise RuntimeError("samplersim: `random` used outside a simulated process")
    return rng


def _dispatch(name):
    return lambda *args, **kwargs: getattr(_process_random(), name)(*args, **kwargs)


for _name in ("random", "uniform", "randint", "randrange", "choice", "choices", "shuffle", "sample",
              "gauss", "normalvariate", "getrandbits", "seed", "getstate", "setstate", "triangular",
              "betavariate", "expovariate", "lognormvariate", "vonmisesvariate", "gammavariate",
              "paretovariate", "weibullvariate", "randbytes"):
    if hasattr(_random, _name):
        setattr(_random, _name, _dispatch(_name))

_install_numpy_entropy()

import optuna  # noqa: E402  (after the clock and entropy are virtual)
from optuna.distributions import CategoricalDistribution  # noqa: E402
from optuna.storages import BaseStorage  # noqa: E402
from optuna.study import StudyDirection  # noqa: E402
from optuna.study._frozen import FrozenStudy  # noqa: E402
from optuna.trial import FrozenTrial, TrialState  # noqa: E402

optuna.logging.set_verbosity(optuna.logging.ERROR)  # "grid exhausted" warnings would flood stderr


def _no_heartbeat_thread(trial_id, storage):
    """_run_trial's heartbeat thread: none in Python; WorkerLink::objective_time writes the beats
    on virtual time (a threading.Thread waiting on Event.wait(timeout) would escape the scheduler)."""
    from optuna.storages._heartbeat import NullHeartbeatThread
    return NullHeartbeatThread()


optuna.study._optimize.get_heartbeat_thread = _no_heartbeat_thread
# fail_stale_trials and RetryFailedTrialCallback are experimental in 3.1: their warnings would
# flood stderr once per process.
warnings.filterwarnings("ignore", category=optuna.exceptions.ExperimentalWarning)

# StoreOp codes of sim/store_op.h; TrialState codes of sim/trial_state.h equal Optuna's values.
OP_CREATE_TRIAL = 0
OP_LIST_WAITING = 1
OP_CLAIM_WAITING = 2
OP_GET_TRIAL = 3
OP_GET_ALL_TRIALS = 4
OP_SET_SYSTEM_ATTR = 5
OP_SET_PARAM = 6
OP_SET_STATE = 7
OP_GET_STUDY_ATTR = 8
OP_STUDY_ATTR_WRITE = 9


# The simulated process died: unwinds optimize() without running its tell (a BaseException, which
# optimize's `catch` and _run_trial's `except Exception` let through).
WorkerCrashed = _sim.WorkerCrashed


# What samplersim_native.objective returns (real/worker_link.h ObjectiveOutcome; 2, a crash, raises).
OUTCOME_COMPLETE = 0
OUTCOME_INJECTED_FAIL = 1
OUTCOME_SCHEDULED_FAIL = 3
OUTCOME_PRUNED = 4


class ObjectiveFailed(Exception):
    """The scenario's objective failure (the trial ends FAIL; optimize catches it)."""


def _timed(op, number, apply):
    """Runs `apply()` (-> (result, a, b, key)) as one store operation at its linearization instant.

    Outside a worker (setting the study up before the run) the call is untimed and unrecorded.
    """
    if not _sim.in_worker():
        return apply()[0]
    _sim.begin(op)  # waits the request latency (and the write lock); now is the instant
    try:
        result, a, b, key = apply()
    except BaseException:
        _sim.end(op, number, 0, 0, "", False)
        raise
    _sim.end(op, number, a, b, key, True)  # mirror + trace, then waits the response latency
    return result


class SimStorage(BaseStorage):
    """Optuna's storage interface over one in-memory study, every worker call a timed operation.

    The data model follows InMemoryStorage's contract (trial ids = numbers, one study); each
    method is one operation of samplersim's store (sim/store_op.h), applied atomically.
    """

    def __init__(self, param_positions, grid, heartbeat_interval=None, retry_failed=False):
        self._param_positions = param_positions  # name -> sorted index (GridSpace order)
        self._grid_values = {name: list(values) for name, values in grid}  # name -> values, file order
        self._study_name = None
        self._directions = []
        self._user_attrs = {}
        self._system_attrs = {}
        self._trials = []
        self._heartbeat_interval = heartbeat_interval  # seconds, or None: no heartbeat
        # fail_stale_trials calls it for each trial it failed (no max_retry: the model's rule).
        self._failed_trial_callback = optuna.storages.RetryFailedTrialCallback() if retry_failed else None

    # ---------------------------------------------------------------- study
    def create_new_study(self, study_name=None, directions=None):
        if self._study_name is not None:
            raise optuna.exceptions.DuplicatedStudyError("samplersim: one study per run")
        self._study_name = study_name or "samplersim"
        self._directions = list(directions or [StudyDirection.MINIMIZE])
        return 0

    def delete_study(self, study_id):
        raise NotImplementedError("samplersim: delete_study is not simulated")

    def _check_study(self, study_id):
        if study_id != 0 or self._study_name is None:
            raise KeyError("No study with study_id {} exists.".format(study_id))

    def set_study_user_attr(self, study_id, key, value):
        self._check_study(study_id)
        return _timed(OP_STUDY_ATTR_WRITE, -1, lambda: (self._user_attrs.__setitem__(key, value), 0, 0, key))

    def set_study_system_attr(self, study_id, key, value):
        self._check_study(study_id)
        return _timed(OP_STUDY_ATTR_WRITE, -1, lambda: (self._system_attrs.__setitem__(key, value), 0, 0, key))

    def get_study_id_from_name(self, study_name):
        if study_name != self._study_name:
            raise KeyError("No such study {}.".format(study_name))
        return _timed(OP_GET_STUDY_ATTR, -1, lambda: (0, 0, 0, "study_id"))

    def get_study_name_from_id(self, study_id):
        self._check_study(study_id)
        return _timed(OP_GET_STUDY_ATTR, -1, lambda: (self._study_name, 0, 0, "study_name"))

    def get_study_directions(self, study_id):
        self._check_study(study_id)
        return _timed(OP_GET_STUDY_ATTR, -1, lambda: (list(self._directions), 0, 0, "directions"))

    def get_study_user_attrs(self, study_id):
        self._check_study(study_id)
        return _timed(OP_GET_STUDY_ATTR, -1, lambda: (copy.deepcopy(self._user_attrs), 0, 0, "user_attrs"))

    def get_study_system_attrs(self, study_id):
        self._check_study(study_id)
        return _timed(OP_GET_STUDY_ATTR, -1, lambda: (copy.deepcopy(self._system_attrs), 0, 0, "system_attrs"))

    def get_all_studies(self):
        def apply():
            return ([FrozenStudy(study_name=self._study_name, direction=None, user_attrs=dict(self._user_attrs),
                                 system_attrs=dict(self._system_attrs), study_id=0,
                                 directions=list(self._directions))], 0, 0, "studies")
        return _timed(OP_GET_STUDY_ATTR, -1, apply)

    # ---------------------------------------------------------------- trials: writes
    def create_new_trial(self, study_id, template_trial=None):
        return self._create_new_trial(study_id, template_trial)._trial_id

    def _create_new_trial(self, study_id, template_trial=None):
        """RDBStorage's hook that _CachedStorage calls: the new trial itself."""
        self._check_study(study_id)
        if template_trial is not None:
            if (template_trial.state == TrialState.WAITING and "fixed_params" not in template_trial.system_attrs
                    and "failed_trial" in template_trial.system_attrs):
                return self._create_retry_copy(template_trial)
            return self._create_enqueued_trial(template_trial)

        def apply():
            number = len(self._trials)
            self._trials.append(FrozenTrial(
                number=number, state=TrialState.RUNNING, value=None, values=None,
                datetime_start=_datetime.datetime.now(), datetime_complete=None, params={},
                distributions={}, user_attrs={}, system_attrs={}, intermediate_values={},
                trial_id=number))
            return copy.deepcopy(self._trials[number]), number, 0, ""
        # The number is decided at the instant (a); the mirror checks it equals the store's.
        return _timed(OP_CREATE_TRIAL, -1, apply)

    def _value_index(self, name, value):
        """Index of a fixed param's value among the grid's values of `name` (type and value equal)."""
        values = self._grid_values.get(name)
        if values is None:
            raise ValueError("samplersim: enqueued parameter {} is not in the scenario's grid".format(name))
        for i, v in enumerate(values):
            if type(v) is type(value) and v == value:
                return i
        raise ValueError("samplersim: enqueued value {!r} of {} is not on the scenario's grid".format(value, name))

    def _create_enqueued_trial(self, template_trial):
        """enqueue_trial's add_trial: a WAITING copy of the template carrying fixed_params. The store
        mirror gets the fixed params as value indices in sorted-name order ("fixed_params=i,-1,j")."""
        fixed = template_trial.system_attrs.get("fixed_params")
        if template_trial.state != TrialState.WAITING or fixed is None:
            raise NotImplementedError(
                "samplersim: add_trial of a trial neither enqueued nor a retry copy is not simulated")
        indices = [-1] * len(self._param_positions)
        for name, value in fixed.items():
            index = self._value_index(name, value)
            indices[self._param_positions[name]] = index
        key = "fixed_params=" + ",".join(str(i) for i in indices)
        return self._add_copy(template_trial, 2, key)

    def _create_retry_copy(self, template_trial):
        """RetryFailedTrialCallback's study.add_trial (optuna/_callbacks.py): a WAITING copy of the
        failed trial (its params, distributions and system attrs, grid_id included, plus failed_trial
        and retry_history). The store mirror copies the record of the trial that just failed (the
        last of retry_history), as the model's create_waiting_copy does, with failed_trial as the
        real callback writes it: the original trial's number, also for a retry of a retry (the
        model writes the number of the trial that just failed; only audit reads it, from real
        studies). Key: "failed_trial=<failed_trial>,<the trial that just failed>"."""
        attrs = template_trial.system_attrs
        key = "failed_trial={},{}".format(int(attrs["failed_trial"]), int(attrs["retry_history"][-1]))
        return self._add_copy(template_trial, 3, key)

    def _append_copy(self, template_trial):
        """Appends a copy of `template_trial` numbered as the next trial (number = trial id); returns it."""
        number = len(self._trials)
        trial = copy.deepcopy(template_trial)
        trial.number = number
        trial._trial_id = number
        self._trials.append(trial)
        return trial

    def _add_copy(self, template_trial, origin, key):
        """study.add_trial of a WAITING copy, as one create_trial operation: the number is decided at
        the instant (a); b tells the store mirror where the copy comes from (2: an enqueued trial,
        3: a retry copy) and `key` what it carries."""
        def apply():
            trial = self._append_copy(template_trial)
            return copy.deepcopy(trial), trial.number, origin, key
        return _timed(OP_CREATE_TRIAL, -1, apply)

    def add_initial_trial(self, trial):
        """A resumed study's trial, there before the run (setup only: no store operation)."""
        if _sim.in_worker():
            raise RuntimeError("samplersim: initial trials are added before the run")
        self._append_copy(trial)

    def _trial(self, trial_id):
        if not 0 <= trial_id < len(self._trials):
            raise KeyError("No trial with trial_id {} exists.".format(trial_id))
        return self._trials[trial_id]

    def set_trial_param(self, trial_id, param_name, param_value_internal, distribution):
        def apply():
            trial = self._trial(trial_id)
            self.check_trial_is_updatable(trial_id, trial.state)
            if not isinstance(distribution, CategoricalDistribution):
                raise NotImplementedError("samplersim: only categorical (grid) parameters are simulated")
            if param_name not in self._param_positions:
                raise ValueError("samplersim: parameter {} is not in the scenario's grid".format(param_name))
            params = dict(trial.params)
            dists = dict(trial.distributions)
            params[param_name] = distribution.to_external_repr(param_value_internal)
            dists[param_name] = distribution
            trial.params = params  # FrozenTrial keeps params and distributions in step
            trial.distributions = dists
            return None, self._param_positions[param_name], int(param_value_internal), ""
        return _timed(OP_SET_PARAM, trial_id, apply)

    def _check_and_set_param_distribution(self, study_id, trial_id, param_name, param_value_internal,
                                          distribution):
        """RDBStorage's first write of a parameter in a process (_CachedStorage's cache miss)."""
        self._check_study(study_id)
        return self.set_trial_param(trial_id, param_name, param_value_internal, distribution)

    def set_trial_state_values(self, trial_id, state, values=None):
        def apply():
            trial = self._trial(trial_id)
            self.check_trial_is_updatable(trial_id, trial.state)
            if state == TrialState.RUNNING and trial.state != TrialState.WAITING:
                return False, 0, int(state), ""
            trial.state = state
            if state == TrialState.RUNNING:
                trial.datetime_start = _datetime.datetime.now()  # a claimed WAITING trial starts now
            if values is not None:
                trial.values = values
            if state.is_finished():
                trial.datetime_complete = _datetime.datetime.now()
            return True, 1, int(state), ""
        op = OP_CLAIM_WAITING if state == TrialState.RUNNING else OP_SET_STATE
        return _timed(op, trial_id, apply)

    def set_trial_intermediate_value(self, trial_id, step, intermediate_value):
        def apply():
            trial = self._trial(trial_id)
            self.check_trial_is_updatable(trial_id, trial.state)
            trial.intermediate_values = {**trial.intermediate_values, step: intermediate_value}
            return None, 0, 0, "intermediate_value"
        return _timed(OP_SET_SYSTEM_ATTR, trial_id, apply)

    def set_trial_user_attr(self, trial_id, key, value):
        def apply():
            trial = self._trial(trial_id)
            self.check_trial_is_updatable(trial_id, trial.state)
            trial.user_attrs = {**trial.user_attrs, key: value}
            return None, 0, 0, "user_attr"
        return _timed(OP_SET_SYSTEM_ATTR, trial_id, apply)

    def set_trial_system_attr(self, trial_id, key, value):
        def apply():
            trial = self._trial(trial_id)
            self.check_trial_is_updatable(trial_id, trial.state)
            trial.system_attrs = {**trial.system_attrs, key: copy.deepcopy(value)}
            is_int = isinstance(value, int) and not isinstance(value, bool)
            return None, 1 if is_int else 0, int(value) if is_int else 0, key
        return _timed(OP_SET_SYSTEM_ATTR, trial_id, apply)

    # ---------------------------------------------------------------- trials: reads
    def get_trial(self, trial_id):
        return _timed(OP_GET_TRIAL, trial_id, lambda: (copy.deepcopy(self._trial(trial_id)), 0, 0, ""))

    def get_all_trials(self, study_id, deepcopy=True, states=None):
        self._check_study(study_id)

        def apply():
            trials = self._trials if states is None else [t for t in self._trials if t.state in states]
            n = len(self._trials)
            chosen = copy.deepcopy(trials) if deepcopy else list(trials)
            return chosen, n, 0, ""
        # Optuna's ask() lists WAITING trials; every other caller reads the whole study.
        op = OP_LIST_WAITING if states == (TrialState.WAITING,) else OP_GET_ALL_TRIALS
        return _timed(op, -1, apply)


    def _get_trials(self, study_id, states=None, excluded_trial_ids=None, included_trial_ids=None,
                    trial_id_greater_than=None):
        """RDBStorage's read that _CachedStorage refreshes its view with (one get_all_trials)."""
        self._check_study(study_id)
        excluded = excluded_trial_ids or set()

        def apply():
            chosen = [copy.deepcopy(t) for t in self._trials
                      if t._trial_id not in excluded and (states is None or t.state in states)
                      and (included_trial_ids is None or t._trial_id in included_trial_ids)
                      and (trial_id_greater_than is None or t._trial_id > trial_id_greater_than)]
            return chosen, len(self._trials), 0, ""
        return _timed(OP_GET_ALL_TRIALS, -1, apply)

    # Heartbeats (RDBStorage's BaseHeartbeat hooks, which _CachedStorage forwards here). With an
    # interval, optimize's _run_trial runs optuna.storages.fail_stale_trials before each ask: its
    # _get_stale_trial_ids is the model's get_stale_trials (one timed operation: RUNNING trials
    # whose heartbeat row is older than the grace at this process's clock), and its
    # set_trial_state_values(FAIL) the ordinary timed state write. The heartbeat rows are written
    # by samplersim in the objective's time (WorkerLink::objective_time) in place of Optuna's
    # HeartbeatThread, a Python thread that would run outside the scheduler (_no_heartbeat_thread).
    def get_heartbeat_interval(self):
        return self._heartbeat_interval

    def record_heartbeat(self, trial_id):
        raise NotImplementedError("samplersim: heartbeats are written by the simulator")

    def _get_stale_trial_ids(self, study_id):
        self._check_study(study_id)
        return list(_sim.get_stale_trials())

    def get_failed_trial_callback(self):
        return self._failed_trial_callback


class _SimFuture:
    """What optimize(n_jobs > 1) uses of a concurrent.futures.Future: done() and result()."""

    def __init__(self):
        self._done = False
        self._value = None
        self._exception = None

    def done(self):
        return self._done

    def result(self, timeout=None):
        if self._exception is not None:
            raise self._exception
        return self._value


class _SimThreadPool:
    """ThreadPoolExecutor(max_workers=n_jobs) of one simulated process, as Optuna's _optimize uses it
    (optuna/study/_optimize.py: `with ThreadPoolExecutor(...) as executor`, executor.submit, and
    concurrent.futures.wait(futures, return_when=FIRST_COMPLETED)).

    Its threads are the process's pool-thread workers (run_pool_thread), started with the process
    and parked on the engine until a job comes, as CPython's pool threads block on the work queue: a
    job goes to the longest-idle thread (CPython's queue wakes one of its waiters; which one is up
    to the OS). Jobs run in submission order. Every step runs under the baton, so these plain
    Python structures are only ever touched by one thread at a time.
    """

    def __init__(self):
        self.jobs = collections.deque()  # (fn, args, future), in submission order
        self.idle = collections.deque()  # worker ids of parked pool threads, longest idle first
        self.running = 0                 # jobs being run
        self.main = None                 # worker id of the main thread while it waits, else None
        self.shutting_down = False

    # ---- ThreadPoolExecutor, on the main thread
    def __call__(self, max_workers=None, **_):
        return self

    def __enter__(self):
        self.shutting_down = False
        return self

    def __exit__(self, *exc):
        self.shutdown(wait=True)
        return False

    def submit(self, fn, *args, **kwargs):
        future = _SimFuture()
        self.jobs.append((fn, args, kwargs, future))
        if self.idle:
            _sim.wake(self.idle.popleft())
        return future

    def shutdown(self, wait=True, **_):
        """Executor.shutdown(wait=True): every pool thread finishes its jobs and leaves; the main
        thread waits for them."""
        self.shutting_down = True
        while self.idle:
            _sim.wake(self.idle.popleft())
        while wait and (self.jobs or self.running):
            self._main_waits()

    def wait_first_completed(self, futures):
        """concurrent.futures.wait(futures, return_when=FIRST_COMPLETED) -> (done, not_done)."""
        futures = set(futures)
        while not any(f.done() for f in futures):
            self._main_waits()
        done = {f for f in futures if f.done()}
        return done, futures - done

    def _main_waits(self):
        self.main = _sim.worker_id()
        _sim.park()

    # ---- a pool thread
    def serve(self):
        while True:
            if self.jobs:
                fn, args, kwargs, future = self.jobs.popleft()
                self.running += 1
                try:
                    future._value = fn(*args, **kwargs)
                except Exception as e:  # noqa: BLE001  (Future keeps it; the main thread's result() raises it)
                    future._exception = e
                finally:
                    self.running -= 1
                future._done = True
                if self.main is not None:
                    main, self.main = self.main, None
                    _sim.wake(main)
            elif self.shutting_down:
                return
            else:
                self.idle.append(_sim.worker_id())
                _sim.park()


def _calling_process_pool(max_workers=None, **kwargs):
    return _tls.process["pool"](max_workers, **kwargs)


def _sim_wait(fs, timeout=None, return_when=None):
    return _tls.process["pool"].wait_first_completed(fs)


optuna.study._optimize.ThreadPoolExecutor = _calling_process_pool
optuna.study._optimize.wait = _sim_wait


def run_pool_thread(process):
    """Body of one pool thread of optimize(n_jobs > 1) (optuna_driver.cc run_worker): runs the jobs
    its process's main thread submits until the pool shuts down. Returns "n_trials", or "crashed"."""
    _tls.rng = process["rng"]
    _tls.process = process
    try:
        process["pool"].serve()
    except WorkerCrashed:
        return "crashed"
    return "n_trials"


def make_storage(param_positions, grid, heartbeat_interval=None, retry_failed=False):
    storage = SimStorage(param_positions, grid, heartbeat_interval, retry_failed)
    storage.create_new_study(study_name="samplersim", directions=[StudyDirection.MINIMIZE])
    return storage


class _SimLock:
    """threading.Lock for the threads of one simulated process, held across yield points.

    _CachedStorage holds its threading.Lock around every backend call, i.e. across timed store
    operations: a second thread of the process (optimize(n_jobs > 1)) blocking on a real lock would
    block its OS thread without handing the baton back, and the run would hang. Here a contended
    acquire parks the simulated worker on the engine until the holder's release wakes it (waiters
    in arrival order; a woken waiter that finds the lock taken again queues again).
    """

    def __init__(self):
        self._owner = None
        self._waiters = collections.deque()

    def acquire(self, blocking=True, timeout=-1):
        if not _sim.in_worker():  # setting the run up: one thread, no contention
            self._owner = -1
            return True
        me = _sim.worker_id()
        while self._owner is not None:
            if not blocking:
                return False
            self._waiters.append(me)
            _sim.park()
        self._owner = me
        return True

    def release(self):
        if self._owner is None:
            raise RuntimeError("release unlocked lock")
        self._owner = None
        if self._waiters:
            _sim.wake(self._waiters.popleft())

    def locked(self):
        return self._owner is not None

    __enter__ = acquire

    def __exit__(self, *exc):
        self.release()
        return False


def _process_view(storage):
    """What one process's Study talks to: Optuna's _CachedStorage over the shared study, exactly as
    optuna.storages.get_storage wraps every RDBStorage (each process keeps its own cache of its own
    and finished trials, refreshed by ask()), its lock a _SimLock. Without _CachedStorage (another
    Optuna), the study."""
    try:
        from optuna.storages._cached_storage import _CachedStorage
    except ImportError:
        return storage
    view = _CachedStorage(storage)
    if hasattr(view, "_lock"):
        view._lock = _SimLock()
    return view


def enqueue_before(storage, params):
    """A trial enqueued before any process starts (by another script): what enqueue_trial writes,
    through the storage untimed, as the model seeds its study at time 0."""
    trial = optuna.trial.create_trial(state=TrialState.WAITING, system_attrs={"fixed_params": dict(params)})
    trial._validate()
    storage.create_new_trial(0, template_trial=trial)


def add_initial_trial(storage, state, params, grid_id, sampler_wrote):
    """One [[initial_trials]] entry (a resumed study), as the model's seed_study writes it: params
    (a WAITING trial's are its fixed_params) with the grid's CategoricalDistributions, value 0.0 if
    COMPLETE, and, if written by a GridSampler of [grid], its `search_space` and `grid_id` (given,
    or the index of the full point in a real GridSampler's grid; none outside the grid)."""
    state = TrialState(state)
    search_space = {name: list(values) for name, values in storage._grid_values.items()}
    system_attrs = {}
    if sampler_wrote:
        # GridSampler.__init__'s own grid (3.1.0 and later; constructing one would draw entropy):
        # values by sorted name, grid ids in itertools.product order.
        sampler_space = collections.OrderedDict((name, list(values)) for name, values in sorted(search_space.items()))
        all_grids = list(itertools.product(*sampler_space.values()))
        if grid_id is None and len(params) == len(search_space):
            point = tuple(params[name] for name in sampler_space)
            grid_id = next((i for i, g in enumerate(all_grids)
                            if all(type(a) is type(b) and a == b for a, b in zip(g, point))), None)
        if grid_id is not None and 0 <= grid_id < len(all_grids):
            system_attrs["search_space"] = sampler_space
            system_attrs["grid_id"] = grid_id
    if state == TrialState.WAITING:
        system_attrs["fixed_params"] = dict(params)
        trial = optuna.trial.create_trial(state=state, system_attrs=system_attrs)
    else:
        distributions = {name: CategoricalDistribution(search_space[name]) for name in params}
        trial = optuna.trial.create_trial(state=state, value=0.0 if state == TrialState.COMPLETE else None,
                                          params=dict(params), distributions=distributions,
                                          system_attrs=system_attrs)
    storage.add_initial_trial(trial)


def make_process(storage, grid, seed, entropy_seed):
    """One simulated process: its `random` state and its Study with its own GridSampler.

    Runs on the thread that sets the run up, with the process's entropy stream current, so a
    seed=None RandomState draws from it exactly as a real process draws from the OS.
    """
    rng = _random.Random(entropy_seed)
    _tls.rng = rng
    try:
        search_space = {name: list(values) for name, values in grid}
        sampler = optuna.samplers.GridSampler(search_space, seed=seed)
        study = optuna.Study(study_name="samplersim", storage=_process_view(storage), sampler=sampler)
    finally:
        _tls.rng = None
    return {"study": study, "rng": rng, "pool": _SimThreadPool()}


def enqueue_by_process(process, params):
    """[[enqueue]] by = "process": another thread of the process calls study.enqueue_trial on the
    process's Study (its _CachedStorage) once, as the model's enqueuer does (one create_trial)."""
    _tls.rng = process["rng"]
    process["study"].enqueue_trial(dict(params))
    return "n_trials"


def run_worker(process, n_trials, max_trials, max_trials_states, enqueues, loop, n_jobs=1):
    """Body of one simulated worker: the process's study.enqueue_trial calls (`enqueues`: the
    params dicts of by = "each-process"), then its loop with the scenario's objective: the real
    study.optimize, or an ask-and-tell loop (`loop`, optuna_driver.cc loop_spec).

    With n_jobs > 1 this is the process's main thread: the real optimize(n_jobs) submits its trials
    to the process's pool threads (_SimThreadPool).

    Returns "n_trials", "stop_flag" or "crashed" (why the worker left its loop), or "raised:" and
    the exception's last traceback line (optimize re-raised it, or tell raised it out of an
    ask-and-tell loop: the process dies).
    """
    _tls.rng = process["rng"]
    _tls.process = process
    study = process["study"]

    def run_objective(trial):
        """The scenario's objective (optuna_driver.cc objective_suggests; sim/optimize_loop.cc
        WorkerLoop::objective): counts the process's call, suggests `loop["suggests"]` in order (a
        name outside the grid, suggested with two choices so that Trial._suggest asks the sampler,
        makes GridSampler.sample_independent raise ValueError), then takes the scenario's duration
        and outcome. Returns normally (COMPLETE) or raises: ObjectiveFailed (an injected failure),
        RuntimeError (a scheduled [objective] fail), optuna.TrialPruned (prune_every); a crash
        raises WorkerCrashed."""
        _sim.objective_call()
        for name, values in loop["suggests"]:
            trial.suggest_categorical(name, values)
        outcome = _sim.objective(trial.number)
        if outcome == OUTCOME_INJECTED_FAIL:
            raise ObjectiveFailed("samplersim: the scenario's objective failure")
        if outcome == OUTCOME_SCHEDULED_FAIL:
            raise RuntimeError(loop["scheduled_fail_message"])
        if outcome == OUTCOME_PRUNED:
            raise optuna.TrialPruned()

    def objective(trial):
        run_objective(trial)
        return 0.0

    callbacks = None
    if max_trials is not None:
        states = tuple(TrialState(s) for s in max_trials_states)
        callbacks = [optuna.study.MaxTrialsCallback(max_trials, states=states)]
    try:
        for params in enqueues:
            study.enqueue_trial(dict(params))
        if loop["kind"] == "ask-tell":
            return _ask_and_tell(study, run_objective, loop)
        # catch: the injected failures always (sim/faults.h); everything with optimize.catch.
        catch = (Exception,) if loop["catch_all"] else (ObjectiveFailed,)
        study.optimize(objective, n_trials=n_trials, n_jobs=n_jobs, catch=catch, callbacks=callbacks)
    except WorkerCrashed:
        return "crashed"
    except Exception as e:  # noqa: BLE001  (the process dies; samplersim names the exception if it knows it)
        return "raised:" + _exception_line(e)
    return "stop_flag" if study._stop_flag else "n_trials"


def _exception_line(e):
    return traceback.format_exception_only(type(e), e)[-1].strip()


def _objective_state(run_objective, trial):
    """An ask-and-tell script's objective call: COMPLETE if it returned, PRUNED if it raised
    TrialPruned, FAIL for any other exception it raises (the scenario's failure, or one from a
    suggest, such as GridSampler's ValueError for an enqueued trial that fixes only some params, or
    for a name outside the grid): the script tells that state and carries on (sim/python_error.h,
    stage kObjective). A crash (WorkerCrashed, a BaseException) ends the process."""
    try:
        run_objective(trial)
    except optuna.TrialPruned:
        return TrialState.PRUNED
    except Exception:  # noqa: BLE001
        return TrialState.FAIL
    return TrialState.COMPLETE


def _ask_and_tell(study, run_objective, loop):
    """An ask-and-tell script (Optuna's ask_and_tell tutorial; Hydra's sweeper with batch = n_jobs),
    as the model's loop runs it (sim/optimize_loop.cc ask_and_tell): for each batch, `batch` real
    study.ask() calls, then each trial's objective in turn, then study.tell of each (value 0.0, or
    state=PRUNED or FAIL if its objective raised), until `n_trials` trials were told.
    GridSampler.after_trial calls study.stop() at the grid's last tell, which outside optimize
    raises RuntimeError after the trial's state was written (optuna/study/_tell.py's `finally`):
    on_stop "raise" lets it end
    the process, "swallow" counts it and goes on, "break" counts it, tells the rest of the batch and
    ends the loop. Any other exception ends the process."""
    budget = loop["n_trials"]
    batch_size = loop["batch"]
    on_stop = loop["on_stop"]
    while budget is None or budget > 0:
        k = batch_size if budget is None else min(batch_size, budget)
        trials = [study.ask() for _ in range(k)]
        states = [_objective_state(run_objective, trial) for trial in trials]
        stopped = False
        for trial, state in zip(trials, states):
            try:
                if state == TrialState.COMPLETE:
                    study.tell(trial, 0.0)
                else:
                    study.tell(trial, state=state)
            except Exception as e:  # noqa: BLE001
                if on_stop == "raise" or _exception_line(e) != loop["stop_error"]:
                    raise
                _sim.stop_error_swallowed(trial.number)
                stopped = stopped or on_stop == "break"
        if stopped:
            return "stop_flag"
        if budget is not None:
            budget -= k
    return "n_trials"
