#include "app/guarantees.h"

#include <stdexcept>

#include <fmt/format.h>

namespace samplersim {

namespace {
constexpr Verdict H = Verdict::kHolds;
constexpr Verdict V = Verdict::kViolated;
constexpr VirtualTime kMs = 1'000;
}  // namespace

namespace {

[[noreturn]] void not_a_column(Fault f) {
  throw std::invalid_argument(fmt::format("guarantees: '{}' is no column of the matrix", to_string(f)));
}

}  // namespace

std::string_view describe(Fault column) {
  switch (column) {
    case Fault::kNone: return "no faults";
    case Fault::kObjectiveFail: return "each objective raises with p = 0.2 (FAIL)";
    case Fault::kCrash:
      return "each trial crashes its worker with p = 0.2 (all but one worker may crash); heartbeat 20ms, "
             "grace 40ms, RetryFailedTrialCallback on";
    case Fault::kStoreError:
      return "each store operation fails with p = 0.2 (half after applying); 3 retries, 5ms backoff";
    case Fault::kStaleRead: return "get_all_trials served from a cached view with p = 0.5, at most 50ms old";
    case Fault::kLateJoin: return "each process joins late with p = 0.5, after uniform 0..600ms";
    case Fault::kStall:
      return "each trial's worker stalls with p = 0.2 for uniform 2.5..3s (past leased-claim's 2s lease), "
             "then resumes";
    case Fault::kClockSkew: return "each process's clock is offset by uniform ±1.5s and drifts by ±100 ppm";
    case Fault::kSlowWorker:
    case Fault::kStaleTrialFailed: break;
  }
  not_a_column(column);
}

FaultSpec fault_spec_for(Fault column) {
  FaultSpec f;
  f.present = column != Fault::kNone;
  switch (column) {
    case Fault::kNone: break;
    case Fault::kObjectiveFail: f.objective_fail_ppm = 200'000; break;
    case Fault::kCrash:
      f.crash_ppm = 200'000;
      f.heartbeat_interval_us = 20 * kMs;
      f.grace_us = 40 * kMs;
      f.retry_failed = true;
      break;
    case Fault::kStoreError:
      f.store_error_ppm = 200'000;
      f.store_max_retries = 3;
      f.store_retry_backoff_us = 5 * kMs;
      break;
    case Fault::kStaleRead:
      f.stale_read_ppm = 500'000;
      f.max_staleness_us = 50 * kMs;
      break;
    case Fault::kLateJoin:
      f.late_join_ppm = 500'000;
      f.late_join_delay = DurationDist::uniform(0, 600 * kMs);
      break;
    // No [faults] heartbeat in these two: the lease policies' own (1s, grace 2s) is what a stall
    // outlasts or a skewed checker misjudges; Optuna's fail_stale_trials stays off.
    case Fault::kStall:
      f.stall_ppm = 200'000;
      f.stall_duration = DurationDist::uniform(2'500 * kMs, 3'000 * kMs);
      break;
    case Fault::kClockSkew:
      f.clock_skew_us = 1'500 * kMs;
      f.clock_drift_ppm = 100;
      break;
    case Fault::kSlowWorker:
    case Fault::kStaleTrialFailed: not_a_column(column);
  }
  return f;
}

RepeatRule repeat_rule_for(Fault column) {
  switch (column) {
    case Fault::kObjectiveFail:
    case Fault::kCrash: return RepeatRule::kAtMostOneComplete;
    case Fault::kStall:
    case Fault::kClockSkew: return RepeatRule::kNoStaleResult;
    default: return RepeatRule::kNoEvaluationTwice;
  }
}

const GuaranteeCell& GuaranteeRow::cell(Fault column) const {
  for (std::size_t i = 0; i < kGuaranteeColumns.size(); ++i) {
    if (kGuaranteeColumns[i] == column) return cells[i];
  }
  not_a_column(column);
}

std::string_view to_string(Verdict v) { return v == Verdict::kHolds ? "holds" : "violated"; }

const std::vector<GuaranteeRow>& guarantee_matrix() {
  // Columns: none, objective-failures, crashes, store-errors, stale-reads, late-joiners, stalls,
  // clock-skew. Each cell: {coverage, no-repeats}.
  static const std::vector<GuaranteeRow> kMatrix = {
      {"optuna-3.2", "none", {{{H, V}, {V, V}, {V, V}, {H, V}, {H, V}, {H, V}, {H, V}, {H, V}}},
       "independent RNGs: read→write race and end-of-grid repeats; FAIL counts as visited"},
      {"optuna-3.6", "none", {{{V, V}, {V, V}, {V, V}, {V, V}, {V, V}, {V, V}, {V, V}, {V, V}}},
       "per-process permutation with the trial-number shortcut: repeats and misses (issue 5489)"},
      {"optuna-3.6", "same:42", {{{H, V}, {V, V}, {V, V}, {H, V}, {H, V}, {H, V}, {H, V}, {H, V}}},
       "shared permutation: unique below N, end-of-grid repeats beyond"},
      {"optuna-4", "none", {{{H, V}, {V, V}, {V, V}, {H, V}, {H, V}, {H, V}, {H, V}, {H, V}}},
       "seed=None means 0: as 3.6 with a shared seed"},
      {"shared-seed", "none", {{{H, V}, {V, V}, {V, V}, {H, V}, {H, V}, {H, V}, {H, V}, {H, V}}},
       "ids agree across processes whatever the seeds; keeps 4.x's end-of-grid repeats"},
      {"atomic-claim", "none", {{{H, H}, {V, H}, {V, H}, {H, H}, {H, H}, {H, H}, {H, H}, {H, H}}},
       "one claim per combination; a FAIL or a crash loses its combination"},
      {"enqueue-all", "none", {{{H, H}, {V, H}, {V, H}, {V, V}, {H, H}, {H, H}, {H, H}, {H, H}}},
       "atomic pop; FAIL is final, crashes re-enqueued too late; a lost response strands a pop or doubles an enqueue"},
      {"leased-claim", "none", {{{H, H}, {H, H}, {H, H}, {H, H}, {H, H}, {H, H}, {H, V}, {H, V}}},
       "leases expire after the grace period, failures release, completion is idempotent; a stalled or "
       "clock-skewed live holder taken over still completes first (a stale result)"},
      {"fenced-leased-claim", "none", {{{H, H}, {H, H}, {H, H}, {H, H}, {H, H}, {H, H}, {H, H}, {H, H}}},
       "leased-claim with fencing epochs: a taken-over holder's completion is refused (its work is lost, "
       "no stale result); combinations may still be evaluated twice under stalls and skew"},
  };
  return kMatrix;
}

}  // namespace samplersim
