#include "samplers/enqueue_all.h"

namespace samplersim {

namespace {
constexpr const char* kOwnerAttr = "enqueue_owner";
constexpr const char* kDoneAttr = "enqueue_done";
}  // namespace

void EnqueueAllSampler::enqueue_all(StoreClient& store) {
  TrialRecord fixed;
  fixed.params.assign(static_cast<std::size_t>(space_.param_count()), -1);
  for (std::int64_t g = 0; g < space_.size(); ++g) {
    for (int p = 0; p < space_.param_count(); ++p) fixed.params[static_cast<std::size_t>(p)] = space_.value_of(g, p);
    store.create_waiting_copy(fixed, kCombinationAttr, g);
  }
  store.study_attr_insert_if_absent(kDoneAttr, 1);
}

WorkCheck EnqueueAllSampler::before_ask(StoreClient& store) {
  const WorkerId me = store.worker();
  if (set_up_.insert(me).second) {
    if (store.study_attr_insert_if_absent(kOwnerAttr, me + 1) == me + 1) enqueue_all(store);
  }
  if (std::optional<int> popped = store.pop_waiting_trial()) return {WorkCheck::Kind::kWork, 0, popped, std::nullopt};
  if (store.get_study_attr(kDoneAttr)) return {WorkCheck::Kind::kDone, 0, std::nullopt, std::nullopt};
  return {WorkCheck::Kind::kWait, kPollUs, std::nullopt, std::nullopt};
}

std::optional<int> EnqueueAllSampler::suggest(TrialContext& trial, int param) {
  const std::optional<std::int64_t> g = trial.snapshot.system_attr(kCombinationAttr);
  if (!g) return std::nullopt;
  return space_.value_of(*g, param);
}

namespace {
[[maybe_unused]] const bool kRegistered = PolicyRegistry::add(PolicyInfo{
    "enqueue-all", "coordination fix",
    "fix: one WAITING trial per combination, popped with the atomic WAITING->RUNNING update",
    [](const SamplerSetup& setup) -> std::unique_ptr<Sampler> {
      return std::make_unique<EnqueueAllSampler>(setup);
    }});
}  // namespace

}  // namespace samplersim
