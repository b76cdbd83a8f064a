#include "samplers/brute_force.h"

#include <algorithm>
#include <numeric>

#include "sim/invariant.h"

namespace samplersim {

namespace {

// _TreeNode: children == None is kUnexpanded; a leaf is expanded with param None (kLeaf) and no
// children; an internal node has a grid param and one child per candidate (contiguous indices).
constexpr int kUnexpanded = -2;
constexpr int kLeaf = -1;

struct ParamMismatch {};  // ValueError("param_name mismatch: ...")

class Tree {
 public:
  Tree() : nodes_(1) {}

  int root() const { return 0; }
  bool expanded(int node) const { return nodes_[idx(node)].param != kUnexpanded; }
  int child(int node, int value) const { return nodes_[idx(node)].first_child + value; }
  int children(int node) const { return nodes_[idx(node)].n_children; }
  bool running(int node) const { return nodes_[idx(node)].running; }
  void set_running(int node) { nodes_[idx(node)].running = true; }

  // expand(param_name, search_space): creates the children, or checks the name (a different name
  // raises ValueError; the candidates of one name never differ here).
  void expand(int node, int param, int n) {
    if (nodes_[idx(node)].param == kUnexpanded) {
      const int first = static_cast<int>(nodes_.size());
      nodes_.resize(nodes_.size() + static_cast<std::size_t>(n));
      Node& me = nodes_[idx(node)];
      me.param = param;
      me.first_child = first;
      me.n_children = n;
      return;
    }
    if (nodes_[idx(node)].param != param) throw ParamMismatch{};
  }
  void set_leaf(int node) { expand(node, kLeaf, 0); }

  std::int64_t count_unexpanded(int node, bool exclude_running) const {
    const Node& me = nodes_[idx(node)];
    if (me.param == kUnexpanded) return exclude_running && me.running ? 0 : 1;
    std::int64_t n = 0;
    for (int c = 0; c < me.n_children; ++c) n += count_unexpanded(me.first_child + c, exclude_running);
    return n;
  }

 private:
  struct Node {
    int param = kUnexpanded;
    bool running = false;
    int first_child = -1;
    int n_children = 0;
  };
  static std::size_t idx(int node) { return static_cast<std::size_t>(node); }
  std::vector<Node> nodes_;
};

// numpy's pairwise summation of a float64 array (np.add.reduce on a contiguous array): below 8
// items a plain loop from 0.0; up to 128 eight accumulators; beyond, halves at a multiple of 8.
double numpy_sum(const double* a, std::size_t n) {
  if (n < 8) {
    double r = 0.0;
    for (std::size_t i = 0; i < n; ++i) r += a[i];
    return r;
  }
  if (n <= 128) {
    double r[8];
    for (std::size_t j = 0; j < 8; ++j) r[j] = a[j];
    const std::size_t m = n - n % 8;
    for (std::size_t i = 8; i < m; i += 8) {
      for (std::size_t j = 0; j < 8; ++j) r[j] += a[i + j];
    }
    double res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
    for (std::size_t i = m; i < n; ++i) res += a[i];
    return res;
  }
  std::size_t n2 = n / 2;
  n2 -= n2 % 8;
  return numpy_sum(a, n2) + numpy_sum(a + n2, n - n2);
}

bool has(const std::vector<int>& params, int p) {
  return static_cast<std::size_t>(p) < params.size() && params[static_cast<std::size_t>(p)] >= 0;
}

}  // namespace

BruteForceSampler::BruteForceSampler(BruteForceVersion version, const SamplerSetup& setup)
    : version_(version), space_(*setup.grid), rng_(0) {
  if (setup.suggest_order != nullptr) {
    for (int p : *setup.suggest_order) {
      if (p >= 0 && std::find(order_.begin(), order_.end(), p) == order_.end()) order_.push_back(p);
    }
  }
  for (int p = 0; p < space_.param_count(); ++p) {  // names the objective never suggests: last
    if (std::find(order_.begin(), order_.end(), p) == order_.end()) order_.push_back(p);
  }
  for (const auto& param : space_.params()) grid_values_ += param.value_count;
  if (setup.seed) {
    SIM_ASSERT(*setup.seed < (std::uint64_t{1} << 32));
    rng_.reseed(static_cast<std::uint32_t>(*setup.seed));
  } else {  // RandomState() seeded from OS entropy
    RandomStream entropy = RandomStream::derive(setup.run_seed, StreamPurpose::kEntropy,
                                                static_cast<std::uint64_t>(setup.process));
    rng_.reseed(entropy.next_u32());
  }
}

StateMask BruteForceSampler::read_states() const {
  StateMask m = StateMask::only(TrialState::kComplete).with(TrialState::kRunning);
  if (version_ != BruteForceVersion::k32) m = m.with(TrialState::kPruned).with(TrialState::kFail);
  return m;
}

// The current trial's params set before `param` (in suggest order): enqueued fixed values, else
// the values this sampler returned for it.
std::vector<int> BruteForceSampler::prefix_of(const TrialContext& trial, int param) const {
  std::vector<int> prefix(static_cast<std::size_t>(space_.param_count()), -1);
  const auto it = sampled_.find(trial.number);
  for (int p : order_) {
    if (p == param) break;
    const auto pi = static_cast<std::size_t>(p);
    if (pi < trial.snapshot.fixed_params.size() && trial.snapshot.fixed_params[pi] >= 0) {
      prefix[pi] = trial.snapshot.fixed_params[pi];
    } else if (it != sampled_.end() && it->second[pi] >= 0) {
      prefix[pi] = it->second[pi];
    }
  }
  return prefix;
}

std::optional<int> BruteForceSampler::choose(const std::vector<TrialPath>& others, const std::vector<int>& prefix,
                                             int param) {
  const int n = space_.params()[static_cast<std::size_t>(param)].value_count;
  const bool running_marks = version_ == BruteForceVersion::k43 || version_ == BruteForceVersion::k49;
  const bool expand_first = version_ != BruteForceVersion::k32 && version_ != BruteForceVersion::k33;
  const StateMask states = read_states();
  Tree tree;
  try {
    if (expand_first) tree.expand(tree.root(), param, n);
    std::vector<int> incomplete;
    for (const TrialPath& t : others) {
      if (!states.contains(t.state)) continue;
      bool agrees = true;
      for (std::size_t p = 0; p < prefix.size(); ++p) {
        if (prefix[p] >= 0 && (!has(t.params, static_cast<int>(p)) || t.params[p] != prefix[p])) agrees = false;
      }
      if (!agrees) continue;
      int node = tree.root();
      for (int p : order_) {
        if (prefix[static_cast<std::size_t>(p)] >= 0 || !has(t.params, p)) continue;
        tree.expand(node, p, space_.params()[static_cast<std::size_t>(p)].value_count);
        node = tree.child(node, t.params[static_cast<std::size_t>(p)]);
      }
      if (is_finished(t.state)) {
        tree.set_leaf(node);
      } else if (running_marks) {
        tree.set_running(node);
      } else {
        incomplete.push_back(node);
      }
    }
    for (int node : incomplete) {
      if (!tree.expanded(node)) tree.set_leaf(node);
    }
    if (!expand_first) tree.expand(tree.root(), param, n);
  } catch (const ParamMismatch&) {
    return std::nullopt;
  }
  const bool exclude_running = running_marks;  // avoid_premature_stop=False (the default)
  if (tree.count_unexpanded(tree.root(), exclude_running) == 0) {
    return static_cast<int>(rng_.choice_index(static_cast<std::size_t>(n)));
  }
  std::vector<double> w(static_cast<std::size_t>(n));
  for (int v = 0; v < n; ++v) {
    w[static_cast<std::size_t>(v)] = static_cast<double>(tree.count_unexpanded(tree.child(tree.root(), v), exclude_running));
  }
  if (version_ == BruteForceVersion::k49) {
    const double total = numpy_sum(w.data(), w.size());
    std::vector<double> flat(w.size());
    for (std::size_t i = 0; i < w.size(); ++i) flat[i] = w[i] > 0 ? 1.0 : 0.0;
    const double k = numpy_sum(flat.data(), flat.size());
    for (std::size_t i = 0; i < w.size(); ++i) w[i] = 0.5 * (w[i] / total) + 0.5 * (flat[i] / k);
  }
  if (running_marks) {
    bool non_running_weighs = false;
    for (int v = 0; v < n; ++v) {
      if (!tree.running(tree.child(tree.root(), v)) && w[static_cast<std::size_t>(v)] > 0) non_running_weighs = true;
    }
    if (non_running_weighs) {
      for (int v = 0; v < n; ++v) {
        if (tree.running(tree.child(tree.root(), v))) w[static_cast<std::size_t>(v)] = 0.0;
      }
    }
  }
  const double sum = numpy_sum(w.data(), w.size());
  for (double& x : w) x /= sum;
  return static_cast<int>(rng_.choice_index_weighted(w));
}

std::optional<bool> BruteForceSampler::stops(const std::vector<TrialPath>& trials, int current) const {
  const bool running_marks = version_ == BruteForceVersion::k43 || version_ == BruteForceVersion::k49;
  const StateMask states = read_states();
  Tree tree;
  try {
    std::vector<int> incomplete;
    for (const TrialPath& t : trials) {
      if (t.number != current && !states.contains(t.state)) continue;
      int node = tree.root();
      for (int p : order_) {
        if (!has(t.params, p)) continue;
        tree.expand(node, p, space_.params()[static_cast<std::size_t>(p)].value_count);
        node = tree.child(node, t.params[static_cast<std::size_t>(p)]);
      }
      if (is_finished(t.state)) {
        tree.set_leaf(node);
      } else if (running_marks) {
        tree.set_running(node);
      } else {
        incomplete.push_back(node);
      }
    }
    for (int node : incomplete) {
      if (!tree.expanded(node)) tree.set_leaf(node);
    }
  } catch (const ParamMismatch&) {
    return std::nullopt;
  }
  return tree.count_unexpanded(tree.root(), running_marks) == 0;
}

namespace {
// Every trial but the WAITING ones (each version's own state filter is applied by choose/stops).
std::vector<BruteForceSampler::TrialPath> read_paths(const StudyStore& s) {
  std::vector<BruteForceSampler::TrialPath> out;
  for (const TrialRecord& t : s.trials()) {
    if (t.state == TrialState::kWaiting) continue;
    out.push_back({t.number, t.state, std::vector<int>(t.params.begin(), t.params.end())});
  }
  return out;
}
}  // namespace

// 3.1: shuffle, enqueue every other candidate (skip_if_exists), return the first.
std::optional<int> BruteForceSampler::suggest_enqueue(TrialContext& trial, int param) {
  const int n = space_.params()[static_cast<std::size_t>(param)].value_count;
  std::vector<int> candidates(static_cast<std::size_t>(n));
  std::iota(candidates.begin(), candidates.end(), 0);
  rng_.shuffle(candidates);
  const std::vector<int> prefix = prefix_of(trial, param);
  for (std::size_t i = 1; i < candidates.size(); ++i) {
    std::vector<int> params = prefix;
    params[static_cast<std::size_t>(param)] = candidates[i];
    // Study._should_skip_enqueue: a trial whose fixed_params (else params) name the same keys
    // with the same values, in any state.
    const bool exists = trial.store.get_all_trials([&params](const StudyStore& s) {
      for (const TrialRecord& t : s.trials()) {
        const bool fixed = !t.fixed_params.empty();
        bool same = true;
        for (std::size_t p = 0; p < params.size() && same; ++p) {
          const int theirs = fixed ? (p < t.fixed_params.size() ? t.fixed_params[p] : -1)
                                   : (p < t.params.size() ? t.params[p] : -1);
          same = theirs == params[p];
        }
        if (same) return true;
      }
      return false;
    });
    if (!exists) trial.store.enqueue_trial(params);
  }
  return candidates[0];
}

std::optional<int> BruteForceSampler::suggest(TrialContext& trial, int param) {
  std::optional<int> v;
  if (version_ == BruteForceVersion::k31) {
    v = suggest_enqueue(trial, param);
  } else {
    const int me = trial.number;
    std::vector<TrialPath> others = trial.store.get_all_trials([me](const StudyStore& s) {
      std::vector<TrialPath> all = read_paths(s);
      std::erase_if(all, [me](const TrialPath& t) { return t.number == me; });
      return all;
    });
    trial.store.walk_trials(static_cast<std::int64_t>(others.size()), grid_values_);
    v = choose(others, prefix_of(trial, param), param);
    if (!v) {
      trial.raised = PyError::kBruteForceMismatch;
      return std::nullopt;
    }
  }
  auto [it, inserted] = sampled_.try_emplace(trial.number, static_cast<std::size_t>(space_.param_count()), -1);
  it->second[static_cast<std::size_t>(param)] = *v;
  return v;
}

bool BruteForceSampler::after_trial(TrialContext& trial, TrialState state) {
  sampled_.erase(trial.number);
  if (version_ == BruteForceVersion::k31) {
    const std::int64_t waiting =
        trial.store.get_all_trials([](const StudyStore& s) { return s.count(StateMask::only(TrialState::kWaiting)); });
    return waiting == 0;
  }
  const int me = trial.number;
  std::vector<TrialPath> trials = trial.store.get_all_trials([me, state](const StudyStore& s) {
    std::vector<TrialPath> all = read_paths(s);
    for (TrialPath& t : all) {
      // The read kept it RUNNING; it is then replaced by create_trial(state=state, params=...).
      if (t.number == me) t.state = state;
    }
    return all;
  });
  trial.store.walk_trials(static_cast<std::int64_t>(trials.size()), grid_values_);
  const std::optional<bool> stop = stops(trials, me);
  if (!stop) {
    trial.raised = PyError::kBruteForceMismatchInTell;
    return false;
  }
  return *stop;
}

namespace {

struct Row {
  const char* name;
  BruteForceVersion version;
  const char* family;
  const char* summary;
  ClientProfile profile;
};

bool register_all() {
  const Row rows[] = {
      {"bruteforce-3.1", BruteForceVersion::k31, "Optuna 3.1",
       "BruteForceSampler 3.1: shuffled candidates, every other one enqueued (skip_if_exists: read, then insert)",
       ClientProfile::kOptuna31},
      {"bruteforce-3.2", BruteForceVersion::k32, "Optuna 3.2",
       "BruteForceSampler 3.2: tree of COMPLETE/RUNNING trials; a RUNNING trial without params raises ValueError",
       ClientProfile::kOptuna32},
      {"bruteforce-3.3", BruteForceVersion::k33, "Optuna 3.3",
       "BruteForceSampler 3.3: as 3.2, PRUNED and FAIL trials counted too",
       ClientProfile::kOptuna32},
      {"bruteforce-3.4", BruteForceVersion::k34, "Optuna 3.4–4.2",
       "BruteForceSampler 3.4-4.2: expand first (PR #5022); RUNNING partial paths are leaves",
       ClientProfile::kOptuna36},
      {"bruteforce-4.3", BruteForceVersion::k43, "Optuna 4.3–4.8",
       "BruteForceSampler 4.3-4.8: RUNNING paths marked running, excluded from counts (PR #5893)",
       ClientProfile::kOptuna4},
      {"bruteforce-4.9", BruteForceVersion::k49, "Optuna 4.9",
       "BruteForceSampler 4.9: as 4.3, weights 0.5 x count share + 0.5 x uniform",
       ClientProfile::kOptuna4},
  };
  for (const Row& r : rows) {
    const BruteForceVersion v = r.version;
    PolicyInfo info{r.name, r.family, r.summary,
                    [v](const SamplerSetup& setup) -> std::unique_ptr<Sampler> {
                      return std::make_unique<BruteForceSampler>(v, setup);
                    }};
    info.client_profile = r.profile;
    PolicyRegistry::add(std::move(info));
  }
  return true;
}
[[maybe_unused]] const bool kRegistered = register_all();

}  // namespace

}  // namespace samplersim
