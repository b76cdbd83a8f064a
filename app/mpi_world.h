// Running one `sweep` or `check` as several processes started by mpirun (OpenMPI; README "Across
// machines"). The only file that includes <mpi.h>; the build works without MPI (then a process
// started by mpirun is refused with exit 2).
//
// Contract:
// - Detection: a process counts as started by mpirun when its environment has OMPI_COMM_WORLD_SIZE
//   (OpenMPI), PMIX_RANK (any PMIx launcher, e.g. srun --mpi=pmix) or PMI_RANK (MPICH's Hydra).
//   A plain run never calls MPI_Init, so it needs no MPI runtime and behaves exactly as without
//   MPI. Detection by the environment (rather than a --mpi flag) because a forgotten flag under
//   mpirun would make K processes each run the whole sweep into the same --out.
// - MpiWorld: MPI_Init on construction (MPI_THREAD_FUNNELED: only the calling thread talks MPI;
//   the sweep's worker threads never do), MPI_Finalize on destruction. One per process.
// - Every collective below must be called by every rank, in the same order. They wait by polling
//   (non-blocking call, then MPI_Test with a 1 ms pause), so a rank that waits for a slower one
//   yields its core instead of spinning on it: ranks may share cores (mpirun --oversubscribe).
// - Errors: agree() runs a step on every rank and then agrees on its outcome: when the step threw
//   on any rank, every rank throws AgreedFailure with the exit status and one-line message of the
//   lowest failing rank (app/exit_status.h), so every rank exits with the same status and only
//   rank 0 prints it (mpi_quiet_rank). A step given to agree() must not call a collective itself.
// Cost: agree() is one allreduce of an int plus, on failure, one broadcast of the message;
// gather_to_root sends each rank's bytes to rank 0 in chunks of at most 1 GiB (MPI counts are int).
#pragma once

#include <cstdint>
#include <exception>
#include <functional>
#include <string>
#include <vector>

namespace samplersim {

// Whether the environment says mpirun (or another MPI launcher) started this process.
bool started_by_mpi_launcher();

// Started by a launcher with a rank other than 0, read from the environment (no MPI call): such a
// process prints no error line; rank 0 prints it once for the whole job.
bool mpi_quiet_rank();

// Whether this samplersim was built with MPI (SAMPLERSIM_HAVE_MPI).
bool built_with_mpi();

// Every rank's exit status and message after agree() saw a failure (see above).
struct AgreedFailure : std::exception {
  int status = 0;
  std::string message;  // one line, from the lowest failing rank
  AgreedFailure(int s, std::string m) : status(s), message(std::move(m)) {}
  const char* what() const noexcept override { return message.c_str(); }
};

class MpiWorld {
 public:
  // MPI_Init. Throws BadInput::argument("mpirun", ...) when built without MPI.
  MpiWorld();
  ~MpiWorld();  // MPI_Finalize
  MpiWorld(const MpiWorld&) = delete;
  MpiWorld& operator=(const MpiWorld&) = delete;

  int rank() const { return rank_; }
  int size() const { return size_; }
  bool root() const { return rank_ == 0; }

  // Runs `step` here; then, on every rank, throws AgreedFailure if it threw on any rank.
  void agree(const std::function<void()>& step);
  // Elementwise minimum / sum over every rank, in place; `values` has the same size on every rank.
  void min_all(std::vector<std::uint64_t>& values);
  void sum_all(std::vector<std::uint64_t>& values);
  // Rank 0 gets every rank's `bytes` joined in rank order; the other ranks get "".
  std::string gather_to_root(const std::string& bytes);

 private:
  int rank_ = 0;
  int size_ = 1;
};

// Runs `body` as one rank of an MPI job and maps its errors: an AgreedFailure (or any exception
// escaping `body`, which then must not have been inside a collective) gives its status, and rank 0
// prints the line "samplersim: <message>" on stderr. Returns the exit status.
int run_as_mpi_rank(const std::function<int(MpiWorld&)>& body);

}  // namespace samplersim
