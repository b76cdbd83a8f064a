#include "app/mpi_world.h"

#include <algorithm>
#include <chrono>
#include <climits>
#include <cstdio>
#include <cstdlib>
#include <string_view>
#include <thread>

#include "app/exit_status.h"
#include "sim/errors.h"

#ifdef SAMPLERSIM_HAVE_MPI
// The C API only: OpenMPI's and MPICH's mpi.h would otherwise pull in their C++ bindings (CMake's
// FindMPI defines these too, with MPI_CXX_SKIP_MPICXX).
#ifndef OMPI_SKIP_MPICXX
#define OMPI_SKIP_MPICXX 1
#endif
#ifndef MPICH_SKIP_MPICXX
#define MPICH_SKIP_MPICXX 1
#endif
#include <mpi.h>
#endif

namespace samplersim {

namespace {

bool has_env(const char* name) { return std::getenv(name) != nullptr; }

// The rank the launcher put in the environment, or -1.
int env_rank() {
  for (const char* name : {"OMPI_COMM_WORLD_RANK", "PMIX_RANK", "PMI_RANK"}) {
    const char* value = std::getenv(name);
    if (value == nullptr) continue;
    const std::string_view text(value);
    if (text.empty() || text.size() > 9 || text.find_first_not_of("0123456789") != std::string_view::npos) return -1;
    return std::atoi(value);
  }
  return -1;
}

[[maybe_unused]] void print_error_line(const std::string& message) {
  std::fflush(stdout);
  std::fprintf(stderr, "samplersim: %s\n", terminal_line(message).c_str());
  std::fflush(stderr);
}

#ifdef SAMPLERSIM_HAVE_MPI
// Waits for a non-blocking operation without holding a core (see the header).
void wait_politely(MPI_Request& request) {
  for (;;) {
    int done = 0;
    MPI_Test(&request, &done, MPI_STATUS_IGNORE);
    if (done != 0) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
}

void allreduce(std::vector<std::uint64_t>& values, MPI_Op op) {
  std::vector<std::uint64_t> in = values;
  MPI_Request request = MPI_REQUEST_NULL;
  MPI_Iallreduce(in.data(), values.data(), static_cast<int>(values.size()), MPI_UINT64_T, op, MPI_COMM_WORLD, &request);
  wait_politely(request);
}

// MPI counts are int: bytes travel in chunks of at most this many.
constexpr std::uint64_t kChunkBytes = std::uint64_t{1} << 30;
#endif

}  // namespace

bool started_by_mpi_launcher() { return has_env("OMPI_COMM_WORLD_SIZE") || has_env("PMIX_RANK") || has_env("PMI_RANK"); }

bool mpi_quiet_rank() { return started_by_mpi_launcher() && env_rank() > 0; }

bool built_with_mpi() {
#ifdef SAMPLERSIM_HAVE_MPI
  return true;
#else
  return false;
#endif
}

#ifdef SAMPLERSIM_HAVE_MPI

MpiWorld::MpiWorld() {
  int provided = 0;
  MPI_Init_thread(nullptr, nullptr, MPI_THREAD_FUNNELED, &provided);
  MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
  MPI_Comm_size(MPI_COMM_WORLD, &size_);
}

MpiWorld::~MpiWorld() { MPI_Finalize(); }

void MpiWorld::agree(const std::function<void()>& step) {
  ExitReport mine{kExitOk, {}};
  try {
    step();
  } catch (...) {
    mine = exit_report_of_current_exception();
    if (mine.status == kExitOk) mine.status = kExitInternal;
  }
  // The lowest failing rank (size_ when none failed).
  std::vector<std::uint64_t> lowest{static_cast<std::uint64_t>(mine.status == kExitOk ? size_ : rank_)};
  min_all(lowest);
  if (lowest[0] == static_cast<std::uint64_t>(size_)) return;
  const int from = static_cast<int>(lowest[0]);
  // Its status and message: the length first, then the bytes.
  std::string message = rank_ == from ? mine.message.substr(0, 4096) : std::string();
  int header[2] = {mine.status, static_cast<int>(message.size())};
  MPI_Request request = MPI_REQUEST_NULL;
  MPI_Ibcast(header, 2, MPI_INT, from, MPI_COMM_WORLD, &request);
  wait_politely(request);
  message.resize(static_cast<std::size_t>(header[1]));
  MPI_Ibcast(message.data(), header[1], MPI_CHAR, from, MPI_COMM_WORLD, &request);
  wait_politely(request);
  throw AgreedFailure(header[0], message);
}

void MpiWorld::min_all(std::vector<std::uint64_t>& values) { allreduce(values, MPI_MIN); }

void MpiWorld::sum_all(std::vector<std::uint64_t>& values) { allreduce(values, MPI_SUM); }

std::string MpiWorld::gather_to_root(const std::string& bytes) {
  // Every rank's size first, then rank by rank in rank order, chunk by chunk.
  std::vector<std::uint64_t> sizes(static_cast<std::size_t>(size_), 0);
  const std::uint64_t mine = bytes.size();
  MPI_Request request = MPI_REQUEST_NULL;
  MPI_Igather(&mine, 1, MPI_UINT64_T, sizes.data(), 1, MPI_UINT64_T, 0, MPI_COMM_WORLD, &request);
  wait_politely(request);
  if (rank_ != 0) {
    for (std::uint64_t off = 0; off < mine; off += kChunkBytes) {
      const int n = static_cast<int>(std::min(kChunkBytes, mine - off));
      MPI_Isend(bytes.data() + off, n, MPI_CHAR, 0, 0, MPI_COMM_WORLD, &request);
      wait_politely(request);
    }
    return {};
  }
  std::uint64_t total = 0;
  for (std::uint64_t s : sizes) total += s;
  std::string out;
  out.reserve(static_cast<std::size_t>(total));
  out += bytes;
  for (int from = 1; from < size_; ++from) {
    const std::uint64_t size = sizes[static_cast<std::size_t>(from)];
    for (std::uint64_t off = 0; off < size; off += kChunkBytes) {
      const int n = static_cast<int>(std::min(kChunkBytes, size - off));
      const std::size_t at = out.size();
      out.resize(at + static_cast<std::size_t>(n));
      MPI_Irecv(out.data() + at, n, MPI_CHAR, from, 0, MPI_COMM_WORLD, &request);
      wait_politely(request);
    }
  }
  return out;
}

int run_as_mpi_rank(const std::function<int(MpiWorld&)>& body) {
  MpiWorld world;
  try {
    return body(world);
  } catch (const AgreedFailure& failure) {
    if (world.root()) print_error_line(failure.message);
    return failure.status;
  } catch (...) {
    // Thrown outside agree(): the other ranks may be waiting in a collective, so end the job.
    const ExitReport report = exit_report_of_current_exception();
    print_error_line(report.message);
    if (world.size() > 1) MPI_Abort(MPI_COMM_WORLD, report.status);
    return report.status;
  }
}

#else  // built without MPI

MpiWorld::MpiWorld() {
  throw BadInput::argument("mpirun", "a samplersim built with MPI (install libopenmpi-dev and rebuild; README \"Across machines\")",
                           "this samplersim was built without MPI");
}
MpiWorld::~MpiWorld() = default;
void MpiWorld::agree(const std::function<void()>& step) { step(); }
void MpiWorld::min_all(std::vector<std::uint64_t>&) {}
void MpiWorld::sum_all(std::vector<std::uint64_t>&) {}
std::string MpiWorld::gather_to_root(const std::string& bytes) { return bytes; }

int run_as_mpi_rank(const std::function<int(MpiWorld&)>& body) {
  MpiWorld world;  // throws: main prints it (on rank 0 only) and exits 2
  return body(world);
}

#endif

}  // namespace samplersim
