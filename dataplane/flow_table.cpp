#include "flow_table.hpp"

#include <rte_errno.h>
#include <rte_hash.h>
#include <rte_hash_crc.h>
#include <rte_malloc.h>

namespace palisade::dataplane {

std::unique_ptr<FlowTable> FlowTable::create(const std::string& name, std::uint32_t capacity, int socket, std::string& error) {
  std::unique_ptr<FlowTable> t(new FlowTable);
  rte_hash_parameters p{};
  p.name = name.c_str();
  // rte_hash fills buckets of 8; room for the whole capacity even when buckets collide.
  p.entries = capacity < 8 ? 8 : capacity;
  p.key_len = sizeof(FlowKey);
  p.hash_func = rte_hash_crc;
  p.socket_id = socket;
  p.extra_flag = RTE_HASH_EXTRA_FLAGS_EXT_TABLE;
  rte_malloc_socket_stats before{}, after{};
  rte_malloc_get_socket_stats(socket < 0 ? 0 : socket, &before);
  t->hash_ = rte_hash_create(&p);
  rte_malloc_get_socket_stats(socket < 0 ? 0 : socket, &after);
  if (!t->hash_) {
    error = "cannot create flow table '" + name + "' for " + std::to_string(capacity) + " flows: " + rte_strerror(rte_errno);
    return nullptr;
  }
  t->capacity_ = capacity;
  t->hash_bytes_ = after.heap_allocsz_bytes - before.heap_allocsz_bytes;
  t->entries_ = std::make_unique<FlowEntry[]>(capacity);
  t->keys_ = std::make_unique<FlowKey[]>(capacity);
  t->active_ = std::make_unique<bool[]>(capacity);
  return t;
}

FlowTable::~FlowTable() {
  if (hash_) rte_hash_free(hash_);
}

bool FlowTable::add(std::int32_t slot, const FlowKey& key) {
  if (slot < 0 || static_cast<std::uint32_t>(slot) >= capacity_ || active_[slot]) return false;
  void* data = nullptr;
  if (rte_hash_lookup_data(hash_, &key, &data) >= 0) return false;  // the key belongs to another slot
  if (rte_hash_add_key_data(hash_, &key, reinterpret_cast<void*>(static_cast<std::uintptr_t>(slot))) != 0) return false;
  keys_[slot] = key;
  active_[slot] = true;
  ++size_;
  return true;
}

bool FlowTable::erase(std::int32_t slot) {
  if (slot < 0 || static_cast<std::uint32_t>(slot) >= capacity_ || !active_[slot]) return false;
  rte_hash_del_key(hash_, &keys_[slot]);
  active_[slot] = false;
  --size_;
  return true;
}

std::uint64_t FlowTable::lookup(const FlowKey* const* keys, std::uint32_t n, std::int32_t* slots) const {
  void* data[RTE_HASH_LOOKUP_BULK_MAX];
  std::uint64_t hits = 0;
  if (n == 0) return 0;
  rte_hash_lookup_bulk_data(hash_, reinterpret_cast<const void**>(const_cast<const FlowKey**>(keys)), n, &hits, data);
  for (std::uint32_t i = 0; i < n; ++i)
    if (hits & (1ull << i)) slots[i] = static_cast<std::int32_t>(reinterpret_cast<std::uintptr_t>(data[i]));
  return hits;
}

std::size_t FlowTable::bytes() const {
  return hash_bytes_ + capacity_ * (sizeof(FlowEntry) + sizeof(FlowKey) + sizeof(bool));
}

}  // namespace palisade::dataplane
