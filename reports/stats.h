// Interval estimates for the comparison tables.
//
// mean_interval: the sample mean with a two-sided Student-t interval. wilson_interval: the Wilson
// score interval for a binomial proportion, which stays inside [0, 1] and behaves at 0/n and n/n.
// A count (repeats, never-evaluated or uncovered combinations, trials, lost workers) or any other
// quantity that cannot be negative (a duration, a share of compute) is shown with
// count_interval: the same t interval with its low end clamped at 0, since the symmetric t interval
// of a mean near 0 reaches below it (one run of 200 with 5 repeats: mean 0.025, low -0.024), and
// no table, chart or JSON document shows a negative count. interval() stays unclamped for
// quantities that can be negative.
// Quantiles come from Boost.Math (students_t and normal distributions), exact to double precision
// for every confidence and degree of freedom. Pure functions; a quantile costs a few microseconds.
// Arguments outside the stated domains are programming errors: std::domain_error (internal).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace samplersim {

struct Interval {
  double estimate = 0;
  double low = 0;
  double high = 0;
};

// Two-sided quantile of Student's t with `dof` >= 1 degrees of freedom at `confidence` in (0, 1):
// the t with P(|T| <= t) = confidence (12.706205 for dof 1 at 0.95).
double t_quantile(double confidence, std::int64_t dof);
// Standard normal two-sided quantile at `confidence` in (0, 1): 1.959964 at 0.95, 2.807034 at 0.995.
double z_quantile(double confidence);

// Streaming mean / variance (Welford).
class MeanAccumulator {
 public:
  void add(double x);
  std::int64_t count() const { return n_; }
  double mean() const { return mean_; }
  double variance() const;  // sample variance, 0 for n < 2
  Interval interval(double confidence) const;
  // interval() with its low end clamped at 0, for a quantity that cannot be negative.
  Interval count_interval(double confidence) const;

 private:
  std::int64_t n_ = 0;
  double mean_ = 0;
  double m2_ = 0;
};

Interval wilson_interval(std::int64_t successes, std::int64_t n, double confidence);

// Fewer equal runs than this carry no estimate of the noise: a zero-width interval from two equal
// runs says nothing. From this many on, "every run gave the same value" is itself the evidence
// (rule of three: at 95%, fewer than 3/30 = 10% of runs would give another value).
inline constexpr std::int64_t kMinEqualRunsForInterval = 30;

// Why a mean's interval cannot be computed, for a table cell ("n/a (1 rep)", "n/a (all 2 runs
// equal)"), or "" when it can: it needs 2 runs, and some variance or kMinEqualRunsForInterval runs.
std::string interval_unavailable(const MeanAccumulator& m);

// Whether two means can be compared by their intervals (a Welch difference or non-overlap): both
// have 2 runs or more, and at least one varies or both have kMinEqualRunsForInterval runs. With
// one run, or two equal runs a side, nothing is known about the noise: no statistical statement.
bool can_compare(const MeanAccumulator& a, const MeanAccumulator& b);

}  // namespace samplersim
