// The worker's flow table: an rte_hash from FlowKey to a slot, and the entries by slot. Slots
// are chosen by the control plane (it owns allocation, so it can name a flow's reverse before
// either is installed); the worker is the only writer of the hash and the entries.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "flow.hpp"

struct rte_hash;

namespace palisade::dataplane {

class FlowTable {
 public:
  // Room for `capacity` flows on NUMA `socket`; null with `error` set when DPDK refuses.
  static std::unique_ptr<FlowTable> create(const std::string& name, std::uint32_t capacity, int socket, std::string& error);
  ~FlowTable();
  FlowTable(const FlowTable&) = delete;
  FlowTable& operator=(const FlowTable&) = delete;

  // False when the slot is out of range, or the key is taken by another slot.
  bool add(std::int32_t slot, const FlowKey& key);
  // Drops the slot's key; false when the slot holds none.
  bool erase(std::int32_t slot);
  // Up to 64 keys at once (rte_hash's bulk limit); bit i of the result is set on a hit, with
  // slots[i] its slot.
  std::uint64_t lookup(const FlowKey* const* keys, std::uint32_t n, std::int32_t* slots) const;

  FlowEntry& entry(std::int32_t slot) { return entries_[slot]; }
  const FlowEntry& entry(std::int32_t slot) const { return entries_[slot]; }
  bool active(std::int32_t slot) const { return active_[slot]; }
  std::uint32_t capacity() const { return capacity_; }
  std::uint32_t size() const { return size_; }
  // Memory the table took at creation: the hash (measured on DPDK's heap) and the entries.
  std::size_t bytes() const;

 private:
  FlowTable() = default;
  rte_hash* hash_ = nullptr;
  std::uint32_t capacity_ = 0, size_ = 0;
  std::size_t hash_bytes_ = 0;  // what rte_hash_create took from DPDK's heap
  std::unique_ptr<FlowEntry[]> entries_;
  std::unique_ptr<FlowKey[]> keys_;
  std::unique_ptr<bool[]> active_;
};

}  // namespace palisade::dataplane
