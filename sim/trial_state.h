// Trial states as Optuna stores them, and a small set type over them.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

namespace samplersim {

enum class TrialState : std::uint8_t { kRunning = 0, kComplete = 1, kPruned = 2, kFail = 3, kWaiting = 4 };

inline constexpr int kTrialStateCount = 5;
inline constexpr std::array<TrialState, kTrialStateCount> kAllTrialStates = {
    TrialState::kRunning, TrialState::kComplete, TrialState::kPruned, TrialState::kFail,
    TrialState::kWaiting};

// "RUNNING", "COMPLETE", ... (Optuna's names).
std::string_view to_string(TrialState s);
std::optional<TrialState> trial_state_from_string(std::string_view name);

// Finished = COMPLETE, PRUNED or FAIL (Optuna's TrialState.is_finished()).
constexpr bool is_finished(TrialState s) {
  return s == TrialState::kComplete || s == TrialState::kPruned || s == TrialState::kFail;
}

class StateMask {
 public:
  constexpr StateMask() = default;
  static constexpr StateMask all() { return StateMask(0x1f); }
  static constexpr StateMask only(TrialState s) { return StateMask().with(s); }
  constexpr StateMask with(TrialState s) const {
    return StateMask(static_cast<std::uint8_t>(bits_ | (1u << static_cast<unsigned>(s))));
  }
  constexpr bool contains(TrialState s) const { return (bits_ >> static_cast<unsigned>(s)) & 1u; }
  constexpr bool is_all() const { return bits_ == 0x1f; }
  constexpr std::uint8_t bits() const { return bits_; }
  friend constexpr bool operator==(StateMask, StateMask) = default;

 private:
  constexpr explicit StateMask(std::uint8_t bits) : bits_(bits) {}
  std::uint8_t bits_ = 0;
};

}  // namespace samplersim
