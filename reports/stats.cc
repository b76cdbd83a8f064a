#include "reports/stats.h"

#include <array>
#include <cassert>
#include <cmath>

namespace samplersim {

double z_quantile(double confidence) {
  if (confidence == 0.95) return 1.959963984540054;
  if (confidence == 0.995) return 2.807033768343811;
  if (confidence == 0.99) return 2.5758293035489;
  assert(false && "unsupported confidence");
  return 1.959963984540054;
}

double t_quantile(double confidence, std::int64_t dof) {
  // Two-sided critical values for dof 1..30, then a few larger dofs.
  static constexpr std::array<double, 30> t95 = {
      12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
      2.201,  2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086,
      2.080,  2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042};
  static constexpr std::array<double, 30> t995 = {
      127.32, 14.089, 7.453, 5.598, 4.773, 4.317, 4.029, 3.833, 3.690, 3.581,
      3.497,  3.428,  3.372, 3.326, 3.286, 3.252, 3.222, 3.197, 3.174, 3.153,
      3.135,  3.119,  3.104, 3.091, 3.078, 3.067, 3.057, 3.047, 3.038, 3.030};
  assert(dof >= 1);
  const auto& table = confidence == 0.995 ? t995 : t95;
  if (dof <= 30) return table[static_cast<std::size_t>(dof - 1)];
  const double z = z_quantile(confidence);
  if (dof > 120) return z;
  // Cornish–Fisher style correction: accurate to ~1e-3 for dof > 30.
  const double d = static_cast<double>(dof);
  return z + (z * z * z + z) / (4 * d);
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

Interval wilson_interval(std::int64_t successes, std::int64_t n, double confidence) {
  assert(n > 0 && successes >= 0 && successes <= n);
  const double z = z_quantile(confidence);
  const double nn = static_cast<double>(n);
  const double p = static_cast<double>(successes) / nn;
  const double denom = 1 + z * z / nn;
  const double centre = (p + z * z / (2 * nn)) / denom;
  const double half = z * std::sqrt(p * (1 - p) / nn + z * z / (4 * nn * nn)) / denom;
  return {p, std::max(0.0, centre - half), std::min(1.0, centre + half)};
}

}  // namespace samplersim
