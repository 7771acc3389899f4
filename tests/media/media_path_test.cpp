// One test per row of docs/media.md's decision table.
#include "media/media_path.hpp"

#include <gtest/gtest.h>

namespace palisade::media {
namespace {

config::Config two_realms(bool in_realm, bool same_ip, bool in_network_a, bool in_network_b, bool shared) {
  config::Config c;
  config::RealmConfig a, b;
  a.identifier = "access", b.identifier = "core";
  a.network_interfaces = {"eth1"};
  b.network_interfaces = {shared ? "eth1" : "eth2"};
  a.mm_in_realm = in_realm, a.mm_same_ip = same_ip, a.mm_in_network = in_network_a;
  b.mm_in_network = in_network_b;
  c.realms = {a, b};
  return c;
}

const CallParty kAlice{"access", "198.51.100.7"};
const CallParty kBob{"access", "198.51.100.9"};
const CallParty kBobSameNat{"access", "198.51.100.7"};
const CallParty kCore{"core", "10.1.0.9"};

TEST(MediaPath, SameRealmWithMmInRealmDisabledIsReleased) {
  EXPECT_EQ(decide_media_path(two_realms(false, true, true, true, false), kAlice, kBob).path, MediaPath::Released);
}

TEST(MediaPath, SameRealmWithMmInRealmEnabledIsAnchored) {
  EXPECT_EQ(decide_media_path(two_realms(true, true, true, true, false), kAlice, kBob).path, MediaPath::Anchored);
}

TEST(MediaPath, BehindOneIpWithMmSameIpDisabledIsReleased) {
  const auto d = decide_media_path(two_realms(true, false, true, true, false), kAlice, kBobSameNat);
  EXPECT_EQ(d.path, MediaPath::Released);
  EXPECT_EQ(d.why, "both parties behind 198.51.100.7 in realm access (mm-same-ip disabled)");
}

TEST(MediaPath, BehindOneIpWithMmSameIpEnabledIsAnchored) {
  EXPECT_EQ(decide_media_path(two_realms(true, true, true, true, false), kAlice, kBobSameNat).path, MediaPath::Anchored);
}

TEST(MediaPath, MmSameIpDisabledButDifferentIpsIsAnchored) {
  EXPECT_EQ(decide_media_path(two_realms(true, false, true, true, false), kAlice, kBob).path, MediaPath::Anchored);
}

TEST(MediaPath, RealmsOnSeparateInterfacesAreAnchored) {
  EXPECT_EQ(decide_media_path(two_realms(false, false, false, false, false), kAlice, kCore).path, MediaPath::Anchored);
}

TEST(MediaPath, RealmsSharingAnInterfaceWithMmInNetworkDisabledOnBothAreReleased) {
  EXPECT_EQ(decide_media_path(two_realms(false, true, false, false, true), kAlice, kCore).path, MediaPath::Released);
}

TEST(MediaPath, RealmsSharingAnInterfaceStayAnchoredWhileEitherSaysSo) {
  EXPECT_EQ(decide_media_path(two_realms(false, true, true, false, true), kAlice, kCore).path, MediaPath::Anchored);
  EXPECT_EQ(decide_media_path(two_realms(false, true, false, true, true), kAlice, kCore).path, MediaPath::Anchored);
}

TEST(MediaPath, AnUnknownRealmIsAnchored) {
  EXPECT_EQ(decide_media_path(two_realms(false, true, true, true, false), {"nowhere", ""}, kCore).path, MediaPath::Anchored);
}

}  // namespace
}  // namespace palisade::media
