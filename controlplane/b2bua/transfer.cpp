// REFER terminated in the SBC: it performs the transfer itself, so the transferee never sees
// a REFER (docs/transfer.md has the ladders).
//
//   transferor        SBC                 transferee        target
//      REFER ------>   202, NOTIFY 100 (refer-notify-provisional)
//                      INVITE (transferee's media, sendrecv) ------------------> 1xx, 200
//                      ACK ----------------------------------------------------> 
//                      re-INVITE (target's media) --> 200, ACK
//      <------ NOTIFY 200 (terminated), then BYE once the NOTIFY is answered
//
// The target's leg takes the transferor's place in the call. A target that fails leaves the
// call as it was and the final NOTIFY carries the failure's status line.
#include <algorithm>

#include "b2bua/call.hpp"
#include "refer/refer_policy.hpp"

namespace palisade::b2bua {

using namespace detail;
using sip::HeaderId;
using sip::Message;

void B2bua::start_transfer(TxId id, const Message& refer, Call& c, Side transferor, const ServerTx& st,
                           const refer::ReferTarget& target) {
  if (c.transfer) return reject(id, refer, 491, "Transfer In Progress");
  const Side transferee = other(transferor);
  auto t = std::make_unique<Transfer>();
  t->transferor = transferor;
  t->event_id = refer.cseq()->number;
  t->subscribed = refer.refer_sub().value_or(true);
  if (const auto* r = realm_config(leg(c, transferor).local.realm)) t->notify = r->refer_notify_provisional;
  t->transferee_user = transferee == Side::A ? c.from_user : c.to_user;
  t->transferee_display = transferee == Side::A ? c.from_display : c.to_display;
  t->target_user = target.user;
  const auto rb = refer.referred_by();
  t->referred_by_user = rb ? user_of(rb->uri) : (transferor == Side::A ? c.from_user : c.to_user);
  auto route = router_.route({leg(c, transferee).local.realm, t->transferee_user, t->target_user, clock() / 1000}, agents_,
                             realm_load_);
  t->routes = std::move(route.targets);

  OutgoingMessage accepted = st.response_base;
  accepted.set_status(202, "Accepted");
  if (!t->subscribed) accepted.add(HeaderId::ReferSub, "false");
  layer_->respond(id, accepted);
  ++counters_.transfers_started;
  c.transfer = std::move(t);
  if (c.transfer->subscribed && c.transfer->notify != config::ReferNotifyProvisional::None)
    notify_transferor(c, leg(c, transferor), 100, "Trying", false, Purpose::TransferNotify);
  if (target.replaces) {
    const auto d = find_dialog(target.replaces->call_id, target.replaces->to_tag, target.replaces->from_tag);
    return join_replaced(c, d->first, other(d->second));  // in_dialog checked it
  }
  if (!call_transfer_target(c))
    transfer_failed(c, route.matched_policy ? 503 : 404, route.matched_policy ? "Service Unavailable" : "Not Found");
}

void B2bua::join_replaced(Call& c, std::uint64_t joined, Side give) {
  // Attended transfer: the target is the far party of the referrer's other call, already
  // connected through the SBC. Its leg moves into this call; both parties are re-INVITEd
  // with each other's media, and no INVITE with Replaces leaves the SBC.
  Transfer& t = *c.transfer;
  Call& k = *call_of(joined);
  const Side keep = other(give);
  t.joined_call = k.id;
  t.joined_side = give;
  t.target_known_sdp = leg(k, keep).remote_sdp;
  t.target = std::move(leg(k, give));
  leg(k, give) = Leg{};
  dialogs_[dialog_key(t.target)] = {c.id, Side::T};
  if (on_leg_added) on_leg_added(c.a.call_id, t.target.call_id);
  Seat& seat = give == Side::B ? k.b_seat : k.a_seat;
  t.seat = std::move(seat);
  seat = {};
  k.state = Call::State::Ending;
  // Anchored: the target's side of the other call's media takes the transferor's place here;
  // each party keeps the SBC port it sends to, the re-INVITEs only tell it the other's media.
  if (media_)
    t.media_joined = media_->join(c.id, t.transferor == Side::A, k.id, give == Side::A, transfer_parties(c));
  t.stage = Transfer::Stage::Reinviting;
  t.reinvites_pending = 2;
  reinvite(c, other(t.transferor));
  if (c.transfer) reinvite(c, Side::T);  // unless the first could not be anchored and failed it
}

void B2bua::give_back(Call& c) {
  // A join that failed: the target's leg returns to the call it came from, if that call is
  // still there; otherwise nobody is left for it and it is released.
  Transfer& t = *c.transfer;
  if (t.target.call_id.empty()) return end_joined_call(t);  // the target hung up: its old call ends too
  Call* k = call_of(t.joined_call);
  t.joined_call = 0;
  dialogs_.erase(dialog_key(t.target));
  if (!k) {
    bye_target(c);
    t.target = Leg{};
    return;
  }
  dialogs_[dialog_key(t.target)] = {k->id, t.joined_side};
  if (t.media_joined) {  // the same exchange again puts each side back
    media_->join(c.id, t.transferor == Side::A, k->id, t.joined_side == Side::A, parties_of(c));
    t.media_joined = false;
  }
  leg(*k, t.joined_side) = std::move(t.target);
  t.target = Leg{};
  (t.joined_side == Side::B ? k->b_seat : k->a_seat) = std::move(t.seat);
  t.seat = {};
  k->state = Call::State::Confirmed;
}

bool B2bua::call_transfer_target(Call& c) {
  Transfer& t = *c.transfer;
  while (t.next_route < t.routes.size()) {
    const routing::Target r = t.routes[t.next_route++];
    const LocalAddress* out = local_for_realm(r.realm, to_transport(r.transport));
    if (!out) continue;
    take_seat(t.seat, r);
    if (!t.target.call_id.empty()) dialogs_.erase(dialog_key(t.target));

    Leg& l = t.target;
    l = Leg{};
    l.local = *out;
    l.peer = Peer{r.address, r.port, out->transport, out->socket};
    l.call_id = ids_.token(32);
    if (on_leg_added) on_leg_added(c.a.call_id, l.call_id);
    l.owns_call_id = true;
    l.local_tag = ids_.token(16);
    l.local_uri = (t.transferee_display.empty() ? "" : t.transferee_display + " ") + "<sip:" + t.transferee_user + "@" + out->address + ">";
    l.remote_uri = "<sip:" + t.target_user + "@" + host_port(r.address, r.port) + ">";
    l.remote_target = "sip:" + t.target_user + "@" + host_port(r.address, r.port);
    l.local_cseq = 1;
    l.invite_cseq = 1;
    t.target_provisional = false;

    OutgoingMessage inv = dialog_invite(l, "70");
    inv.add(HeaderId::ReferredBy, "<sip:" + t.referred_by_user + "@" + out->address + ">");
    // The media as it stands now, taken off hold: the transferee's last SDP. Anchored, it names
    // the SBC's ports facing the transferor's side, which the target takes over.
    if (const std::string& sdp = leg(c, other(t.transferor)).remote_sdp; !sdp.empty()) {
      std::optional<std::string> body = refer::resumed_offer(sdp);
      if (media_) body = media_->sdp(c.id, transfer_parties(c), t.transferor == Side::B, *body);
      if (!body) continue;  // no media in that realm: the next route, or the transfer fails
      inv.set_body(*body, "application/sdp");
    }
    t.target_invite_msg = std::move(inv);
    dialogs_[dialog_key(l)] = {c.id, Side::T};
    t.target_invite = layer_->send_request(t.target_invite_msg, l.peer);
    client_tx_[t.target_invite] = {c.id, Purpose::TransferInvite, Side::T, 0, {}};
    return true;
  }
  return false;
}

void B2bua::transfer_invite_response(Call& c, const Message& rsp) {
  Transfer& t = *c.transfer;
  const int code = rsp.status_code();
  if (code == 100) return;
  Leg& l = t.target;
  if (code < 200) {
    t.target_provisional = true;
    if (rsp.to() && rsp.to()->tag()) l.remote_tag = std::string(*rsp.to()->tag());
    if (t.abandoned) return cancel_transfer_target(c);
    if (t.subscribed && !t.transferor_gone && t.notify == config::ReferNotifyProvisional::All)
      notify_transferor(c, leg(c, t.transferor), code, rsp.reason(), false, Purpose::TransferNotify);
    return;
  }
  if (code < 300) {
    if (!l.ack_wire.empty()) {  // a 2xx again: our ACK was lost
      sender_.send(l.peer, l.ack_wire);
      return;
    }
    l.remote_tag = std::string(rsp.to()->tag().value_or(""));
    refresh_target(l.remote_target, rsp);
    l.route_set = route_set_of(rsp);
    note_sdp(l, rsp);
    send_ack(c, Side::T, nullptr);
    if (t.abandoned) {
      send_bye(c, Side::T);
      if (--c.pending_byes == 0) finish(c.id);  // the INVITE has settled; the BYE is pending
      return;
    }
    t.stage = Transfer::Stage::Reinviting;
    if (media_ && !l.remote_sdp.empty()) {
      // Anchored: the target's answer re-points the flows, and the transferee keeps sending to
      // the same SBC port. It is re-INVITEd only when the direction it was told changes (the
      // transferor had it on hold).
      const bool from_a = t.transferor == Side::A;
      if (refer::same_direction(l.remote_sdp, leg(c, t.transferor).remote_sdp)) {
        media_->learn(c.id, transfer_parties(c), from_a, l.remote_sdp);
        return complete_transfer(c);
      }
      const auto toward = media_->sdp(c.id, transfer_parties(c), from_a, l.remote_sdp);
      if (!toward) return complete_transfer(c);
      t.media_reinvite = *toward;
      t.reinvites_pending = 1;
      return reinvite(c, other(t.transferor));
    }
    // The transferee is re-INVITEd only when where it must send its media changes.
    if (l.remote_sdp.empty() || refer::same_media_destination(l.remote_sdp, leg(c, t.transferor).remote_sdp))
      return complete_transfer(c);
    t.reinvites_pending = 1;
    return reinvite(c, other(t.transferor));
  }
  if (t.abandoned) {
    if (--c.pending_byes == 0) finish(c.id);
    return;
  }
  const bool retry = (code == 408 || code == 500 || code == 503) && !t.target_provisional;
  if (retry && call_transfer_target(c)) return;
  transfer_failed(c, code, rsp.reason());
}

void B2bua::cancel_transfer_target(Call& c) {
  const Transfer& t = *c.transfer;
  const TxId tx = layer_->send_request(cancel_of(t.target_invite_msg, t.target.invite_cseq), t.target.peer);
  client_tx_[tx] = {c.id, Purpose::Cancel, Side::T, 0, {}};
}

void B2bua::bye_target(Call& c) {
  // Not counted in pending_byes: the call does not wait for a target it never connected.
  Transfer& t = *c.transfer;
  const TxId tx = layer_->send_request(in_dialog_request(t.target, "BYE"), t.target.peer);
  client_tx_[tx] = {c.id, Purpose::Cancel, Side::T, 0, {}};
}

OutgoingMessage B2bua::sbc_reinvite(Leg& l) {
  OutgoingMessage re = in_dialog_request(l, "INVITE");
  l.invite_cseq = l.local_cseq;
  re.add(HeaderId::Contact, l.contact());
  re.add(HeaderId::Allow, std::string(kAllow));
  return re;
}

void B2bua::reinvite(Call& c, Side side) {
  Transfer& t = *c.transfer;
  const Side transferee = other(t.transferor);
  t.retry[side == Side::T].pending = false;
  Leg& l = leg(c, side);
  OutgoingMessage re = sbc_reinvite(l);
  // Each party has so far received the referrer's SDP: the other party's comes as a new
  // version of that session.
  if (t.media_joined) {
    // Anchored and joined: each gets the other's media as the SBC anchors it, under the o= it knows.
    const bool to_target = side == Side::T;
    const std::string offer = to_target ? refer::resumed_offer(leg(c, transferee).remote_sdp) : t.target.remote_sdp;
    const auto body = media_->sdp(c.id, transfer_parties(c), to_target ? transferee == Side::A : t.transferor == Side::A, offer);
    if (!body) return transfer_failed(c, 503, "Service Unavailable");
    re.set_body(*body, "application/sdp");
  } else if (side == Side::T)
    re.set_body(refer::under_origin(refer::resumed_offer(leg(c, transferee).remote_sdp), t.target_known_sdp), "application/sdp");
  else if (!t.media_reinvite.empty())
    re.set_body(t.media_reinvite, "application/sdp");  // anchored: already the SBC's, in the leg's own session
  else
    re.set_body(refer::under_origin(t.target.remote_sdp, leg(c, t.transferor).remote_sdp), "application/sdp");
  const TxId tx = layer_->send_request(re, l.peer);
  client_tx_[tx] = {c.id, Purpose::TransferReinvite, side, 0, {}};
}

void B2bua::reinvite_response(Call& c, Side side, const Message& rsp) {
  const int code = rsp.status_code();
  if (code < 200 || !c.transfer) return;
  Transfer& t = *c.transfer;
  if (t.abandoned || t.stage != Transfer::Stage::Reinviting) return;
  Leg& l = leg(c, side);
  if (code < 300) {
    note_sdp(l, rsp);
    // Anchored: an answer may move that party's own media; the flows follow it.
    if (media_ && (t.media_joined || (side != Side::T && !t.media_reinvite.empty())) && !l.remote_sdp.empty())
      media_->learn(c.id, transfer_parties(c), side == Side::T ? t.transferor == Side::A : side == Side::A, l.remote_sdp);
    refresh_target(l.remote_target, rsp);
    send_ack(c, side, nullptr);
    if (--t.reinvites_pending == 0) complete_transfer(c);
    return;
  }
  auto& retry = t.retry[side == Side::T];
  if (code == 491 && retry.tries < 3) {
    // Glare with a re-INVITE of that party's own: try again after RFC 3261 §14.1's wait.
    ++retry.tries;
    const std::uint32_t r = ids_.first_rseq();
    const auto wait = std::chrono::milliseconds(l.owns_call_id ? 2100 + r % 1901 : r % 2001);
    retry.pending = true;
    retry.timer = timers_.start(wait, [this, id = c.id, side] {
      Call* call = call_of(id);
      if (call && call->transfer && call->transfer->retry[side == Side::T].pending) reinvite(*call, side);
    });
    return;
  }
  // A party would not take the other's media: the transfer fails, the calls stay as they were.
  transfer_failed(c, code, rsp.reason());
}

media::CallParties B2bua::transfer_parties(const Call& c) const {
  const Transfer& t = *c.transfer;
  media::CallParties p = parties_of(c);
  const int i = t.transferor == Side::A ? 0 : 1;
  p.realm[i] = t.target.local.realm;
  p.signalling_ip[i] = t.target.peer.address;
  return p;
}

void B2bua::complete_transfer(Call& c) {
  Transfer& t = *c.transfer;
  Leg& slot = leg(c, t.transferor);
  dialogs_.erase(dialog_key(slot));
  dialogs_.erase(dialog_key(t.target));
  t.old = std::move(slot);
  slot = std::move(t.target);
  t.target = Leg{};
  dialogs_[dialog_key(slot)] = {c.id, t.transferor};
  // The target's session agent now holds the session for that leg.
  Seat& seat = t.transferor == Side::B ? c.b_seat : c.a_seat;
  release_seat(seat);
  seat = std::move(t.seat);
  t.seat = {};
  ++counters_.transfers_succeeded;
  if (on_refer) on_refer("call " + std::to_string(c.id) + ": transferred to " + t.target_user);
  t.stage = Transfer::Stage::Notifying;
  end_joined_call(t);
  release_media_if_direct(c, other(t.transferor));
  if (t.transferor_gone) {
    c.transfer.reset();
    return;
  }
  dialogs_[dialog_key(t.old)] = {c.id, Side::Old};
  if (t.subscribed) notify_transferor(c, t.old, 200, "OK", true, Purpose::TransferFinalNotify);
  else release_transferor(c);
}

void B2bua::release_transferor(Call& c) {
  // Only now: a transferor hung up before its final NOTIFY would not learn the outcome.
  Transfer& t = *c.transfer;
  const TxId tx = layer_->send_request(in_dialog_request(t.old, "BYE"), t.old.peer);
  client_tx_[tx] = {c.id, Purpose::ReleaseOld, Side::Old, 0, {}};
}

void B2bua::forget_transferor(Call& c) {
  dialogs_.erase(dialog_key(c.transfer->old));
  c.transfer.reset();
}

void B2bua::end_joined_call(Transfer& t) {
  // The referrer's consultation call has no other party left: its remaining leg is released.
  Call* k = t.joined_call ? call_of(t.joined_call) : nullptr;
  t.joined_call = 0;
  if (!k) return;
  const Side keep = other(t.joined_side);
  if (!leg(*k, keep).call_id.empty()) send_bye(*k, keep);
  else finish(k->id);
}

void B2bua::cancel_retries(Transfer& t) {
  for (auto& r : t.retry)
    if (r.pending) timers_.cancel(r.timer);
}

void B2bua::transfer_failed(Call& c, int code, std::string_view reason) {
  Transfer& t = *c.transfer;
  ++counters_.transfers_failed;
  cancel_retries(t);
  if (t.joined_call) give_back(c);
  else if (t.stage == Transfer::Stage::Reinviting && !t.target.call_id.empty()) bye_target(c);  // connected, not joined
  if (on_refer)
    on_refer("call " + std::to_string(c.id) + ": transfer to " + t.target_user + " failed: " + std::to_string(code) + " " +
             std::string(reason));
  release_seat(t.seat);
  if (!t.target.call_id.empty()) dialogs_.erase(dialog_key(t.target));
  if (t.transferor_gone) {
    // Nobody is left for the transferee to return to.
    const Side transferee = other(t.transferor);
    c.transfer.reset();
    c.state = Call::State::Ending;
    send_bye(c, transferee);
    return;
  }
  if (t.subscribed) notify_transferor(c, leg(c, t.transferor), code, reason, true, Purpose::TransferNotify);
  c.transfer.reset();  // the call goes on as it was: the transferor may take it back
}

void B2bua::notify_transferor(Call& c, Leg& l, int code, std::string_view reason, bool final, Purpose purpose) {
  OutgoingMessage n = in_dialog_request(l, "NOTIFY");
  n.add(HeaderId::Contact, l.contact());
  n.add(HeaderId::Event, "refer;id=" + std::to_string(c.transfer->event_id));
  n.add(HeaderId::SubscriptionState, final ? "terminated;reason=noresource" : "active;expires=60");
  n.set_body(refer::sipfrag_status(code, reason.empty() ? sip::default_reason(code) : reason), "message/sipfrag;version=2.0");
  const TxId tx = layer_->send_request(n, l.peer);
  client_tx_[tx] = {c.id, purpose, c.transfer->transferor, 0, {}};
}

bool B2bua::transfer_bye(TxId id, Call& c, Side from_side, const ServerTx& st) {
  if (!c.transfer) return false;
  Transfer& t = *c.transfer;
  OutgoingMessage ok = st.response_base;
  ok.set_status(200, "OK");
  if (from_side == Side::Old) {  // the released transferor, before its BYE
    layer_->respond(id, ok);
    forget_transferor(c);
    return true;
  }
  if (from_side == Side::T) {  // the target hung up before it was connected
    layer_->respond(id, ok);
    dialogs_.erase(dialog_key(t.target));
    t.target = Leg{};
    transfer_failed(c, 487, "Request Terminated");
    return true;
  }
  if (t.stage == Transfer::Stage::Notifying) return false;  // the swap is done: an ordinary BYE
  if (from_side == t.transferor) {
    // It hung up after the 202: the transferee stays, the transfer goes on.
    layer_->respond(id, ok);
    t.transferor_gone = true;
    dialogs_.erase(dialog_key(leg(c, t.transferor)));
    return true;
  }
  // The transferee hung up: everyone else goes too, the target once its INVITE settles.
  layer_->respond(id, ok);
  t.abandoned = true;
  c.state = Call::State::Ending;
  if (!t.transferor_gone) send_bye(c, t.transferor);
  if (t.joined_call) {
    give_back(c);  // the consultation call goes on without the transferee
  } else if (t.stage == Transfer::Stage::Reinviting) {
    send_bye(c, Side::T);
  } else {
    ++c.pending_byes;  // the target's INVITE, settled in transfer_invite_response
    if (t.target_provisional) cancel_transfer_target(c);  // else once its first 1xx comes
  }
  return true;
}

void B2bua::release_transfer(Call& c) {
  if (!c.transfer) return;
  Transfer& t = *c.transfer;
  t.abandoned = true;
  cancel_retries(t);
  end_joined_call(t);
  switch (t.stage) {
    case Transfer::Stage::Calling:
      ++c.pending_byes;  // the target's INVITE, settled in transfer_invite_response
      if (t.target_provisional) cancel_transfer_target(c);
      break;
    case Transfer::Stage::Reinviting:
      if (!t.target.call_id.empty()) send_bye(c, Side::T);
      break;
    case Transfer::Stage::Notifying:
      if (!t.old.call_id.empty()) send_bye(c, Side::Old);  // it may have one already: it answers 481
      break;
  }
}

void B2bua::transfer_settled(Call& c, const ClientTx& ctx, int code, std::string_view reason) {
  // A timeout or transport error of one of the transfer's own requests.
  if (!c.transfer) return;
  switch (ctx.purpose) {
    case Purpose::TransferInvite:
      if (c.transfer->abandoned) {
        if (--c.pending_byes == 0) finish(c.id);
        return;
      }
      if (call_transfer_target(c)) return;
      transfer_failed(c, code, reason);
      return;
    case Purpose::TransferReinvite:
      if (c.transfer->abandoned || c.transfer->stage != Transfer::Stage::Reinviting) return;
      transfer_failed(c, code, reason);
      return;
    case Purpose::TransferFinalNotify:
      release_transferor(c);  // unanswered: it is released all the same
      return;
    case Purpose::ReleaseOld:
      forget_transferor(c);
      return;
    default:
      return;
  }
}

void B2bua::release_media_if_direct(Call& c, Side transferee) {
  // The transfer may have left two parties that reach each other directly (media release by
  // realm, docs/media.md): each is re-INVITEd with the other's own SDP, and the SBC's ports and
  // flows go once both have taken it. Until then, and for good if either refuses, the SBC
  // carries the media as before.
  if (!media_ || c.a.remote_sdp.empty() || c.b.remote_sdp.empty()) return;
  std::string own[2] = {c.a.remote_sdp, c.b.remote_sdp};
  std::string& held = own[transferee == Side::A ? 0 : 1];
  held = refer::resumed_offer(held);  // as the target was offered it
  const auto d = media_->direct(c.id, parties_of(c), own[0], own[1]);
  if (!d) return;
  c.release_reinvites = 2;
  c.release_taken = true;
  for (const Side s : {Side::A, Side::B}) {
    Leg& l = leg(c, s);
    OutgoingMessage re = sbc_reinvite(l);
    re.set_body(d->to[s == Side::A ? 0 : 1], "application/sdp");
    const TxId tx = layer_->send_request(re, l.peer);
    client_tx_[tx] = {c.id, Purpose::MediaRelease, s, 0, {}};
  }
}

void B2bua::media_release_settled(Call& c, Side side, const Message* rsp) {
  const int code = rsp ? rsp->status_code() : 408;
  if (code < 200 || c.release_reinvites == 0) return;
  if (code < 300) {
    Leg& l = leg(c, side);
    note_sdp(l, *rsp);
    refresh_target(l.remote_target, *rsp);
    send_ack(c, side, nullptr);
  } else {
    c.release_taken = false;
  }
  if (--c.release_reinvites == 0 && media_) {
    media_->release(c.id, c.release_taken);
    if (on_refer)
      on_refer("call " + std::to_string(c.id) + (c.release_taken ? ": media released to go direct after the transfer"
                                                                  : ": a party kept its media through the SBC"));
  }
}

}  // namespace palisade::b2bua
