#include "sim/store_client.h"

namespace samplersim {

std::optional<StoreOp> store_op_from_string(std::string_view name) {
  for (int i = 0; i < kStoreOpCount; ++i) {
    const auto op = static_cast<StoreOp>(i);
    if (to_string(op) == name) return op;
  }
  return std::nullopt;
}

std::string_view to_string(StoreOp op) {
  switch (op) {
    case StoreOp::kCreateTrial: return "create_trial";
    case StoreOp::kListWaiting: return "list_waiting";
    case StoreOp::kClaimWaiting: return "claim_waiting";
    case StoreOp::kGetTrial: return "get_trial";
    case StoreOp::kGetAllTrials: return "get_all_trials";
    case StoreOp::kSetTrialSystemAttr: return "set_system_attr";
    case StoreOp::kSetTrialParam: return "set_param";
    case StoreOp::kSetTrialState: return "set_state";
    case StoreOp::kGetStudyAttr: return "get_study_attr";
    case StoreOp::kStudyAttrInsertIfAbsent: return "study_attr_insert_if_absent";
  }
  return "?";
}

void StoreClient::record(StoreOp op, int trial, std::int64_t arg, std::string_view key) {
  trace_.record({engine_.now_us(), worker_, TraceKind::kStoreOp, trial,
                 static_cast<std::int64_t>(op), arg, key});
}

int StoreClient::create_trial() {
  return apply(StoreOp::kCreateTrial, [&] {
    const int number = store_.create_trial(TrialState::kRunning, worker_, engine_.now_us());
    record(StoreOp::kCreateTrial, number, 0);
    return number;
  });
}

std::optional<int> StoreClient::pop_waiting_trial() {
  const std::vector<int> waiting = apply(StoreOp::kListWaiting, [&] {
    std::vector<int> numbers = store_.waiting_trial_numbers();
    record(StoreOp::kListWaiting, -1, static_cast<std::int64_t>(numbers.size()));
    return numbers;
  });
  for (int number : waiting) {
    const bool claimed = apply(StoreOp::kClaimWaiting, [&] {
      const bool ok = store_.claim_waiting(number, worker_, engine_.now_us());
      record(StoreOp::kClaimWaiting, number, ok ? 1 : 0);
      return ok;
    });
    if (claimed) return number;
  }
  return std::nullopt;
}

TrialRecord StoreClient::get_trial(int number) {
  return apply(StoreOp::kGetTrial, [&] {
    record(StoreOp::kGetTrial, number, 0);
    return store_.trial(number);
  });
}

void StoreClient::set_trial_system_attr(int number, std::string_view key, std::int64_t value) {
  apply(StoreOp::kSetTrialSystemAttr, [&] {
    store_.set_system_attr(number, key, value);
    record(StoreOp::kSetTrialSystemAttr, number, value, key);
  });
}

void StoreClient::set_trial_param(int number, int param, int value_index) {
  apply(StoreOp::kSetTrialParam, [&] {
    store_.set_param(number, param, value_index);
    record(StoreOp::kSetTrialParam, number, param * 1000003LL + value_index);
  });
}

bool StoreClient::set_trial_state(int number, TrialState state) {
  return apply(StoreOp::kSetTrialState, [&] {
    const bool ok = store_.set_state(number, state, engine_.now_us());
    record(StoreOp::kSetTrialState, number, static_cast<std::int64_t>(state) * 2 + (ok ? 1 : 0));
    return ok;
  });
}

std::optional<std::int64_t> StoreClient::get_study_attr(std::string_view key) {
  return apply(StoreOp::kGetStudyAttr, [&] {
    auto v = store_.study_attr(key);
    record(StoreOp::kGetStudyAttr, -1, v.value_or(-1), key);
    return v;
  });
}

std::int64_t StoreClient::study_attr_insert_if_absent(std::string_view key, std::int64_t value) {
  return apply(StoreOp::kStudyAttrInsertIfAbsent, [&] {
    const std::int64_t stored = store_.study_attr_insert_if_absent(key, value);
    record(StoreOp::kStudyAttrInsertIfAbsent, -1, stored, key);
    return stored;
  });
}

}  // namespace samplersim
