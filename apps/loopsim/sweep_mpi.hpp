// `mpirun -np N loopsim sweep ...` (docs/sweep.md, MPI): rank 0 owns the store and hands out
// points one at a time (a rank asks for the next one when it sends its result); the other
// ranks run points. Without MPI at build time, or outside mpirun, every function is inert.
#pragma once

#include <atomic>
#include <functional>
#include <vector>

#include "loopsim/explore/run_point.hpp"

namespace loopsim::cli {

// Initializes MPI when the process was started by mpirun (or srun) with more than one rank,
// and finalizes it at the end.
class MpiSession {
 public:
  MpiSession();
  ~MpiSession();
  MpiSession(const MpiSession&) = delete;
  MpiSession& operator=(const MpiSession&) = delete;
  [[nodiscard]] int rank() const { return rank_; }
  [[nodiscard]] int size() const { return size_; }

 private:
  int rank_ = 0, size_ = 1;
};

// Rank > 0: asks rank 0 for points and runs them until told to stop. A rank whose inputs fail
// to load (`broken`) tells rank 0 it quits.
void mpi_worker(const std::function<explore::PointResult(int)>& run, bool broken);

// Rank 0: hands out `todo` (point ids) to the other ranks, calls `on_result` for every result
// received, until every point is done or `stop` is set; then releases every rank.
void mpi_coordinate(const std::vector<int>& todo, const std::atomic<bool>* stop,
                    const std::function<void(const explore::PointResult&)>& on_result);

}  // namespace loopsim::cli
