#include "app/dpor.h"

#include <algorithm>
#include <span>

#include "sim/invariant.h"

namespace samplersim {

namespace {

bool is_store_object(SharedObject o) {
  switch (o) {
    case SharedObject::kTrialRow:
    case SharedObject::kTrialTable:
    case SharedObject::kStudyAttr:
    case SharedObject::kClaim:
    case SharedObject::kLiveness:
    case SharedObject::kWholeStore: return true;
    case SharedObject::kWriteLock:
    case SharedObject::kCrashBudget:
    case SharedObject::kEvaluationLog: return false;
  }
  return true;
}

bool overlaps(const SharedAccess& a, const SharedAccess& b) {
  if (a.object == b.object) {
    return a.id == b.id || a.object == SharedObject::kWholeStore ||
           (a.object == SharedObject::kLiveness && (a.id == kEveryRow || b.id == kEveryRow));
  }
  const auto either = [&](SharedObject x, SharedObject y) {
    return (a.object == x && b.object == y) || (a.object == y && b.object == x);
  };
  if (a.object == SharedObject::kWholeStore) return is_store_object(b.object);
  if (b.object == SharedObject::kWholeStore) return is_store_object(a.object);
  return either(SharedObject::kTrialTable, SharedObject::kTrialRow);
}

using Footprint = std::vector<SharedAccess>;

struct Sleeper {
  WorkerId worker = -1;
  Footprint next;  // its next step from where it fell asleep
};

// A choice point of the current path. Persistent across runs while it stays on the path.
struct Node {
  std::vector<WorkerId> runnable;
  std::vector<Sleeper> sleep;       // asleep on arrival
  std::vector<Sleeper> done;        // explored from here before `chosen`, with their steps
  WorkerId chosen = -1;
  Footprint chosen_step;            // footprint of `chosen`'s step from here
  std::vector<WorkerId> backtrack;  // every worker explored or to explore from here
};

struct Step {
  WorkerId worker = -1;
  VirtualTime t_us = 0;
  std::size_t begin = 0, end = 0;  // its accesses
  std::int64_t node = -1;          // the choice point that chose it; -1: it was due alone
};

bool contains(const std::vector<WorkerId>& v, WorkerId w) { return std::find(v.begin(), v.end(), w) != v.end(); }
bool contains(const std::vector<Sleeper>& v, WorkerId w) {
  return std::any_of(v.begin(), v.end(), [w](const Sleeper& s) { return s.worker == w; });
}

}  // namespace

bool conflict(const SharedAccess& a, const SharedAccess& b) { return (a.write || b.write) && overlaps(a, b); }

class SourceDpor::Impl final : public Strategy, public StepObserver {
 public:
  explicit Impl(int threads) : threads_(std::max(threads, 1)) {}

  void begin_run() {
    steps_.clear();
    accesses_.clear();
    sleep_.clear();
    open_ = false;
    pending_node_ = -1;
    blocked_ = false;
  }

  // ---- Strategy ----
  std::size_t pick(const ChoicePoint& cp) override {
    close_step();
    if (blocked_) return 0;
    const auto c = static_cast<std::size_t>(cp.index);
    SIM_ASSERT(c <= path_.size());
    if (c < path_.size()) {  // on the prefix: replay the recorded choice
      Node& n = path_[c];
      SIM_ASSERT(std::equal(n.runnable.begin(), n.runnable.end(), cp.runnable.begin(), cp.runnable.end()) &&
                 "a replayed prefix must meet the same choice points");
      for (const Sleeper& d : n.done) sleep_.push_back(d);
      pending_node_ = static_cast<std::int64_t>(c);
      return index_of(cp, n.chosen);
    }
    const auto awake = std::find_if(cp.runnable.begin(), cp.runnable.end(),
                                    [this](WorkerId w) { return !contains(sleep_, w); });
    if (awake == cp.runnable.end()) {  // every runnable worker is asleep: an explored class
      blocked_ = true;
      return 0;
    }
    Node n;
    n.runnable.assign(cp.runnable.begin(), cp.runnable.end());
    n.sleep = sleep_;
    n.chosen = *awake;
    n.backtrack = {*awake};
    path_.push_back(std::move(n));
    pending_node_ = static_cast<std::int64_t>(c);
    return static_cast<std::size_t>(awake - cp.runnable.begin());
  }
  std::string name() const override { return "exhaustive (source-DPOR)"; }

  // ---- StepObserver ----
  void on_step(WorkerId worker, VirtualTime now_us) override {
    close_step();
    if (blocked_) return;
    if (pending_node_ < 0 && contains(sleep_, worker)) {  // due alone, and asleep
      blocked_ = true;
      return;
    }
    steps_.push_back(Step{worker, now_us, accesses_.size(), accesses_.size(), pending_node_});
    pending_node_ = -1;
    open_ = true;
  }
  void on_access(const SharedAccess& access) override {
    if (open_) accesses_.push_back(access);
  }
  void on_event(const TraceEvent&) override {}

  // After the run: race analysis, then the next prefix. False when the tree is exhausted.
  bool finish_run() {
    close_step();
    analyse_races();
    for (std::size_t c = path_.size(); c-- > 0;) {
      Node& n = path_[c];
      for (WorkerId q : n.backtrack) {
        if (q == n.chosen || contains(n.done, q) || contains(n.sleep, q)) continue;
        n.done.push_back(Sleeper{n.chosen, n.chosen_step});
        n.chosen = q;
        path_.resize(c + 1);
        return true;
      }
    }
    path_.clear();
    return false;
  }

  bool blocked() const { return blocked_; }

 private:
  static std::size_t index_of(const ChoicePoint& cp, WorkerId w) {
    const auto it = std::find(cp.runnable.begin(), cp.runnable.end(), w);
    SIM_ASSERT(it != cp.runnable.end() && "a replayed choice must be runnable");
    return static_cast<std::size_t>(it - cp.runnable.begin());
  }

  std::span<const SharedAccess> footprint(const Step& s) const {
    return {accesses_.data() + s.begin, s.end - s.begin};
  }

  bool dependent(WorkerId a, std::span<const SharedAccess> fa, WorkerId b, std::span<const SharedAccess> fb) const {
    if (a == b || a / threads_ == b / threads_) return true;  // program order; one process's sampler
    for (const SharedAccess& x : fa) {
      for (const SharedAccess& y : fb) {
        if (conflict(x, y)) return true;
      }
    }
    return false;
  }

  // Ends the open step: records the chosen step's footprint on its node, wakes the sleepers whose
  // next step depends on it.
  void close_step() {
    if (!open_) return;
    open_ = false;
    Step& s = steps_.back();
    s.end = accesses_.size();
    const auto fp = footprint(s);
    if (s.node >= 0) path_[static_cast<std::size_t>(s.node)].chosen_step.assign(fp.begin(), fp.end());
    std::erase_if(sleep_, [&](const Sleeper& q) { return dependent(q.worker, q.next, s.worker, fp); });
  }

  // Races are only possible inside one virtual instant (virtual time orders everything else).
  void analyse_races() {
    for (std::size_t a = 0; a < steps_.size();) {
      std::size_t b = a;
      while (b < steps_.size() && steps_[b].t_us == steps_[a].t_us) ++b;
      if (b - a >= 2) analyse_instant(a, b);
      a = b;
    }
  }

  // Vector clocks over the instant [a, b): vc(k)[w] = number of w's events of the instant that
  // happen before or are k; event i happens before k iff local(i) < vc(k)[worker(i)].
  void analyse_instant(std::size_t a, std::size_t b) {
    const std::size_t m = b - a;
    WorkerId max_worker = 0;
    for (std::size_t k = a; k < b; ++k) max_worker = std::max(max_worker, steps_[k].worker);
    const std::size_t width = static_cast<std::size_t>(max_worker) + 1;
    vc_.assign(m * width, 0);
    local_.assign(m, 0);
    std::vector<std::uint32_t> count(width, 0);
    std::vector<std::int64_t> last(width, -1);
    std::vector<std::size_t> preds;
    for (std::size_t k = 0; k < m; ++k) {
      const Step& sk = steps_[a + k];
      const auto wk = static_cast<std::size_t>(sk.worker);
      local_[k] = count[wk]++;
      std::uint32_t* vk = &vc_[k * width];
      preds.clear();
      if (last[wk] >= 0) {
        const auto p = static_cast<std::size_t>(last[wk]);
        preds.push_back(p);
        std::copy_n(&vc_[p * width], width, vk);
      }
      const std::size_t program_preds = preds.size();
      for (std::size_t i = 0; i < k; ++i) {
        const Step& si = steps_[a + i];
        if (si.worker == sk.worker || !dependent(si.worker, footprint(si), sk.worker, footprint(sk))) continue;
        preds.push_back(i);
        for (std::size_t w = 0; w < width; ++w) vk[w] = std::max(vk[w], vc_[i * width + w]);
      }
      vk[wk] = local_[k] + 1;
      last[wk] = static_cast<std::int64_t>(k);
      for (std::size_t x = program_preds; x < preds.size(); ++x) {
        const std::size_t i = preds[x];
        const bool immediate = std::none_of(preds.begin(), preds.end(), [&](std::size_t j) {
          return j > i && happens_before(a, i, j, width);
        });
        if (immediate) reverse_race(a, i, k, width);
      }
    }
  }

  bool happens_before(std::size_t a, std::size_t i, std::size_t j, std::size_t width) const {
    return i < j && local_[i] < vc_[j * width + static_cast<std::size_t>(steps_[a + i].worker)];
  }

  // Race (i, k) of the instant starting at a: make sure some initial of notdep(i).k is explored
  // (or scheduled) at the choice point before i.
  void reverse_race(std::size_t a, std::size_t i, std::size_t k, std::size_t width) {
    const Step& si = steps_[a + i];
    SIM_ASSERT(si.node >= 0 && "a racing step is chosen at a choice point (every racing worker is due there)");
    Node& n = path_[static_cast<std::size_t>(si.node)];
    std::vector<std::size_t> v;
    for (std::size_t j = i + 1; j < k; ++j) {
      if (!happens_before(a, i, j, width)) v.push_back(j);
    }
    v.push_back(k);
    std::vector<WorkerId> initials;
    for (std::size_t x = 0; x < v.size(); ++x) {
      const WorkerId w = steps_[a + v[x]].worker;
      if (contains(initials, w)) continue;
      const bool first = std::none_of(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(x),
                                      [&](std::size_t j) { return happens_before(a, j, v[x], width); });
      if (first) initials.push_back(w);
    }
    SIM_ASSERT(!initials.empty());
    if (std::any_of(initials.begin(), initials.end(), [&](WorkerId w) { return contains(n.backtrack, w); })) return;
    // Prefer the racing worker itself, then any initial that is not asleep there.
    WorkerId q = initials.front();
    const WorkerId racer = steps_[a + k].worker;
    if (contains(initials, racer) && !contains(n.sleep, racer)) {
      q = racer;
    } else {
      const auto awake = std::find_if(initials.begin(), initials.end(), [&](WorkerId w) { return !contains(n.sleep, w); });
      if (awake != initials.end()) q = *awake;
    }
    SIM_ASSERT(contains(n.runnable, q) && "an initial of a reversed race must be due at the choice point");
    n.backtrack.push_back(q);
  }

  int threads_;
  std::vector<Node> path_;
  std::vector<Step> steps_;
  std::vector<SharedAccess> accesses_;
  std::vector<Sleeper> sleep_;
  bool open_ = false;
  std::int64_t pending_node_ = -1;
  bool blocked_ = false;
  std::vector<std::uint32_t> vc_;
  std::vector<std::uint32_t> local_;
};

SourceDpor::SourceDpor(int threads_per_process) : impl_(std::make_unique<Impl>(threads_per_process)) {
  impl_->begin_run();
}

SourceDpor::~SourceDpor() = default;

Strategy& SourceDpor::strategy() { return *impl_; }
StepObserver& SourceDpor::observer() { return *impl_; }

bool SourceDpor::finish_run() {
  const bool more = impl_->finish_run();
  ++runs_;
  last_blocked_ = impl_->blocked();
  if (last_blocked_) ++blocked_runs_;
  impl_->begin_run();
  return more;
}

// ---- ClassFingerprint ----

namespace {
std::uint64_t mix(std::uint64_t h, std::uint64_t v) {
  h = (h ^ v) * 0x9e3779b97f4a7c15ULL;
  return h ^ (h >> 32);
}
}  // namespace

void ClassFingerprint::on_step(WorkerId worker, VirtualTime now_us) {
  if (next_ != nullptr) next_->on_step(worker, now_us);
}

void ClassFingerprint::on_access(const SharedAccess& access) {
  if (next_ != nullptr) next_->on_access(access);
}

void ClassFingerprint::on_event(const TraceEvent& e) {
  if (next_ != nullptr) next_->on_event(e);
  if (e.kind == TraceKind::kPick || e.worker < 0) return;
  const auto w = static_cast<std::size_t>(e.worker);
  if (w >= per_worker_.size()) per_worker_.resize(w + 1, 0xcbf29ce484222325ULL);
  std::uint64_t h = per_worker_[w];
  h = mix(h, static_cast<std::uint64_t>(e.t_us));
  h = mix(h, static_cast<std::uint64_t>(e.kind));
  h = mix(h, static_cast<std::uint64_t>(static_cast<std::int64_t>(e.trial)));
  h = mix(h, static_cast<std::uint64_t>(e.a));
  h = mix(h, static_cast<std::uint64_t>(e.b));
  for (char c : e.detail) h = mix(h, static_cast<unsigned char>(c));
  per_worker_[w] = h;
}

std::uint64_t ClassFingerprint::value() const {
  std::uint64_t h = 0x84222325cbf29ce4ULL;
  for (std::uint64_t w : per_worker_) h = mix(h, w);
  return h;
}

}  // namespace samplersim
