// The timer values of RFC 3261 §17 (Table 4), from T1, T2 and T4. Oracle's sip-config names:
// init-timer = T1, max-timer = T2, trans-expire = B/D/F/H/J (when set).
#pragma once

#include <chrono>

namespace palisade::transaction {

using Duration = std::chrono::milliseconds;

struct TimerConfig {
  Duration t1{500};
  Duration t2{4000};
  Duration t4{5000};
  // Timers B, F, H, J (unreliable), L and M: 64*T1 by RFC 3261; sip-config's trans-expire
  // sets it apart from T1, as on the Oracle SBC.
  Duration transaction_timeout{32000};

  Duration timeout() const { return transaction_timeout; }
  Duration wait_d(bool reliable) const { return reliable ? Duration{0} : Duration{32000}; }
  Duration wait_t4(bool reliable) const { return reliable ? Duration{0} : t4; }  // I, K
  Duration wait_j(bool reliable) const { return reliable ? Duration{0} : timeout(); }
};

}  // namespace palisade::transaction
