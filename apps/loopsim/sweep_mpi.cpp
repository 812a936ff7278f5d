// MPI distribution of a sweep's points (sweep_mpi.hpp). Messages: a rank sends rank 0 its
// last result as JSON text (tag 1; empty at first, "quit" when it cannot run points) and
// receives the next point id (tag 2; -1: stop). Rank 0 polls (MPI_Iprobe and a short sleep)
// instead of blocking, so that it does not spin on a core the workers need.
#include "sweep_mpi.hpp"

#include <chrono>
#include <cstdlib>
#include <string>
#include <thread>

#ifdef LOOPSIM_WITH_MPI
#define OMPI_SKIP_MPICXX 1  // the C API only
#define MPICH_SKIP_MPICXX 1
#include <mpi.h>
#endif

namespace loopsim::cli {

#ifdef LOOPSIM_WITH_MPI
namespace {
constexpr int kTagResult = 1, kTagAssign = 2;
bool g_released = false;  // every other rank has been told to stop (once per process)

int launched_ranks() {
  for (const char* v : {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "PMIX_SIZE"})
    if (const char* s = std::getenv(v)) return std::atoi(s);
  return 1;
}
}  // namespace

MpiSession::MpiSession() {
  if (launched_ranks() <= 1) return;
  int provided = 0;
  MPI_Init_thread(nullptr, nullptr, MPI_THREAD_FUNNELED, &provided);
  MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
  MPI_Comm_size(MPI_COMM_WORLD, &size_);
  if (size_ <= 1) {
    MPI_Finalize();
    size_ = 1;
  }
}

MpiSession::~MpiSession() {
  if (size_ > 1) MPI_Finalize();
}

void mpi_worker(const std::function<explore::PointResult(int)>& run, bool broken) {
  std::string msg = broken ? "quit" : "";
  while (true) {
    MPI_Send(msg.data(), static_cast<int>(msg.size()), MPI_CHAR, 0, kTagResult, MPI_COMM_WORLD);
    if (broken) return;
    int id = -1;
    MPI_Recv(&id, 1, MPI_INT, 0, kTagAssign, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
    if (id < 0) return;
    msg = explore::result_to_json(run(id));
  }
}

void mpi_coordinate(const std::vector<int>& todo, const std::atomic<bool>* stop,
                    const std::function<void(const explore::PointResult&)>& on_result) {
  if (g_released) return;
  g_released = true;
  int size = 1;
  MPI_Comm_size(MPI_COMM_WORLD, &size);
  int active = size - 1;
  std::size_t next = 0;
  while (active > 0) {
    int flag = 0;
    MPI_Status st;
    MPI_Iprobe(MPI_ANY_SOURCE, kTagResult, MPI_COMM_WORLD, &flag, &st);
    if (!flag) {
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
      continue;
    }
    int len = 0;
    MPI_Get_count(&st, MPI_CHAR, &len);
    std::string buf(static_cast<std::size_t>(len), '\0');
    MPI_Recv(buf.data(), len, MPI_CHAR, st.MPI_SOURCE, kTagResult, MPI_COMM_WORLD,
             MPI_STATUS_IGNORE);
    if (buf == "quit") {
      --active;
      continue;
    }
    if (!buf.empty()) {
      explore::PointResult r = explore::result_from_json(buf);
      if (r.status != "interrupted" && on_result) on_result(r);
    }
    int id = -1;
    if (next < todo.size() && !(stop && stop->load())) id = todo[next++];
    MPI_Send(&id, 1, MPI_INT, st.MPI_SOURCE, kTagAssign, MPI_COMM_WORLD);
    if (id < 0) --active;
  }
}
#else
MpiSession::MpiSession() = default;
MpiSession::~MpiSession() = default;
void mpi_worker(const std::function<explore::PointResult(int)>&, bool) {}
void mpi_coordinate(const std::vector<int>&, const std::atomic<bool>*,
                    const std::function<void(const explore::PointResult&)>&) {}
#endif

}  // namespace loopsim::cli
