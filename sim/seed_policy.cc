#include "sim/seed_policy.h"

#include <charconv>

namespace samplersim {

std::optional<std::uint64_t> SeedPolicy::seed_for_process(int process) const {
  switch (kind) {
    case Kind::kNone: return std::nullopt;
    case Kind::kSame: return seed;
    case Kind::kDistinct: return seed + static_cast<std::uint64_t>(process);
  }
  return std::nullopt;
}

std::string SeedPolicy::to_string() const {
  switch (kind) {
    case Kind::kNone: return "none";
    case Kind::kSame: return "same:" + std::to_string(seed);
    case Kind::kDistinct: return "distinct:" + std::to_string(seed);
  }
  return "?";
}

std::optional<SeedPolicy> parse_seed_policy(std::string_view text) {
  if (text == "none") return SeedPolicy{};
  SeedPolicy p;
  std::string_view rest;
  if (text.starts_with("same:")) {
    p.kind = SeedPolicy::Kind::kSame;
    rest = text.substr(5);
  } else if (text.starts_with("distinct:")) {
    p.kind = SeedPolicy::Kind::kDistinct;
    rest = text.substr(9);
  } else {
    return std::nullopt;
  }
  if (rest.empty() || rest.size() > 10) return std::nullopt;
  std::uint64_t value = 0;
  auto [end, ec] = std::from_chars(rest.data(), rest.data() + rest.size(), value);
  if (ec != std::errc() || end != rest.data() + rest.size()) return std::nullopt;
  if (value >= (std::uint64_t{1} << 32)) return std::nullopt;
  p.seed = value;
  return p;
}

}  // namespace samplersim
