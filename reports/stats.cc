#include "reports/stats.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include <boost/math/distributions/normal.hpp>
#include <boost/math/distributions/students_t.hpp>
#include <fmt/format.h>

namespace samplersim {

namespace {

// The upper tail probability of a two-sided interval: (1 - confidence) / 2.
double upper_tail(double confidence) {
  if (!(confidence > 0.0 && confidence < 1.0)) {
    throw std::domain_error(fmt::format("confidence must be in (0, 1), got {}", confidence));
  }
  return (1.0 - confidence) / 2.0;
}

}  // namespace

double z_quantile(double confidence) {
  const boost::math::normal_distribution<double> normal;
  return boost::math::quantile(boost::math::complement(normal, upper_tail(confidence)));
}

double t_quantile(double confidence, std::int64_t dof) {
  if (dof < 1) throw std::domain_error(fmt::format("t_quantile: dof must be >= 1, got {}", dof));
  const boost::math::students_t_distribution<double> t(static_cast<double>(dof));
  return boost::math::quantile(boost::math::complement(t, upper_tail(confidence)));
}

void MeanAccumulator::add(double x) {
  ++n_;
  const double delta = x - mean_;
  mean_ += delta / static_cast<double>(n_);
  m2_ += delta * (x - mean_);
}

double MeanAccumulator::variance() const { return n_ < 2 ? 0.0 : m2_ / static_cast<double>(n_ - 1); }

Interval MeanAccumulator::interval(double confidence) const {
  if (n_ < 2) return {mean_, mean_, mean_};
  const double half = t_quantile(confidence, n_ - 1) * std::sqrt(variance() / static_cast<double>(n_));
  return {mean_, mean_ - half, mean_ + half};
}

Interval MeanAccumulator::count_interval(double confidence) const {
  Interval i = interval(confidence);
  i.low = std::max(0.0, i.low);
  return i;
}

Interval wilson_interval(std::int64_t successes, std::int64_t n, double confidence) {
  if (n <= 0 || successes < 0 || successes > n) {
    throw std::domain_error(fmt::format("wilson_interval: need 0 <= successes <= n and n > 0, got {} of {}", successes, n));
  }
  const double z = z_quantile(confidence);
  const double nn = static_cast<double>(n);
  const double p = static_cast<double>(successes) / nn;
  const double denom = 1 + z * z / nn;
  const double centre = (p + z * z / (2 * nn)) / denom;
  const double half = z * std::sqrt(p * (1 - p) / nn + z * z / (4 * nn * nn)) / denom;
  // 0 of n and n of n are exact ends (centre - half is 5.55e-17 in floating point, not 0).
  const double low = successes == 0 ? 0.0 : std::max(0.0, centre - half);
  const double high = successes == n ? 1.0 : std::min(1.0, centre + half);
  return {p, low, high};
}

std::string interval_unavailable(const MeanAccumulator& m) {
  if (m.count() < 2) return m.count() == 1 ? "n/a (1 rep)" : "n/a (no runs)";
  if (m.variance() == 0 && m.count() < kMinEqualRunsForInterval) return fmt::format("n/a (all {} runs equal)", m.count());
  return "";
}

bool can_compare(const MeanAccumulator& a, const MeanAccumulator& b) {
  if (a.count() < 2 || b.count() < 2) return false;
  if (a.variance() > 0 || b.variance() > 0) return true;
  return a.count() >= kMinEqualRunsForInterval && b.count() >= kMinEqualRunsForInterval;
}

}  // namespace samplersim
