// Interval estimates for the comparison tables.
//
// mean_interval: the sample mean with a two-sided Student-t interval (normal quantile for
// n > 120, where they agree to 3 digits). wilson_interval: the Wilson score interval for a binomial
// proportion, which stays inside [0, 1] and behaves at 0/n and n/n. Pure functions, O(n) at most.
#pragma once

#include <cstdint>
#include <vector>

namespace samplersim {

struct Interval {
  double estimate = 0;
  double low = 0;
  double high = 0;
};

// Two-sided quantile of Student's t with `dof` degrees of freedom at confidence 0.95 or 0.995.
double t_quantile(double confidence, std::int64_t dof);
// Standard normal two-sided quantile for confidence 0.95 (1.959964) or 0.995 (2.807034).
double z_quantile(double confidence);

// Streaming mean / variance (Welford).
class MeanAccumulator {
 public:
  void add(double x);
  std::int64_t count() const { return n_; }
  double mean() const { return mean_; }
  double variance() const;  // sample variance, 0 for n < 2
  Interval interval(double confidence) const;

 private:
  std::int64_t n_ = 0;
  double mean_ = 0;
  double m2_ = 0;
};

Interval wilson_interval(std::int64_t successes, std::int64_t n, double confidence);

}  // namespace samplersim
