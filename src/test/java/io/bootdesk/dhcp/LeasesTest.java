package io.bootdesk.dhcp;

import static org.assertj.core.api.Assertions.assertThat;

import io.bootdesk.model.Lease;
import io.bootdesk.model.MacAddress;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Leases on its own, with an explicit clock: holds, expiry, quarantine, the addresses a subnet cannot give. */
class LeasesTest {

    static final MacAddress A = MacAddress.parse("52:54:00:00:00:0a");
    static final MacAddress B = MacAddress.parse("52:54:00:00:00:0b");
    static final int SERVER = Ip4.parse("10.99.0.1");
    static final Pool ONE = Pool.parseRange("10.99.0.100-10.99.0.100", SERVER, 24, 0);
    static final long T0 = 1_800_000_000_000L;

    static int ip(String s) {
        return Ip4.parse(s);
    }

    @Test
    void anOfferIsHeldForItsClientForThirtySeconds() {
        Leases l = new Leases(List.of(ONE), 60);
        assertThat(l.offer(ONE, A, 0, T0)).isEqualTo(ip("10.99.0.100"));
        assertThat(l.offer(ONE, B, 0, T0 + Leases.OFFER_HOLD_MS - 1)).isZero();
        assertThat(l.refusal(ONE, B, ip("10.99.0.100"), T0 + 1)).contains("leased to " + A);
        assertThat(l.offer(ONE, B, 0, T0 + Leases.OFFER_HOLD_MS)).isEqualTo(ip("10.99.0.100"));
    }

    @Test
    void aLeaseExpires() {
        Leases l = new Leases(List.of(ONE), 60);
        Lease lease = l.bind(A, ip("10.99.0.100"), T0);
        assertThat(lease.expires()).isEqualTo(Instant.ofEpochMilli(T0 + 60_000));
        assertThat(l.offer(ONE, B, 0, T0 + 59_999)).isZero();
        assertThat(l.refusal(ONE, B, ip("10.99.0.100"), T0 + 60_000)).isNull();
        assertThat(l.boundCount(T0 + 59_999)).isEqualTo(1);
        assertThat(l.boundCount(T0 + 60_000)).isZero();
    }

    /**
     * A machine whose lease ran out (switched off for longer than the lease) comes back: it is offered its old
     * address again, and that offer must be held for it like any other, or the next DISCOVER from another machine
     * is offered the same address and one of the two is NAKed.
     */
    @Test
    void anExpiredLeaseOfferedAgainToItsOwnerIsHeldForIt() {
        Leases l = new Leases(List.of(ONE), 60);
        l.bind(A, ip("10.99.0.100"), T0);
        long later = T0 + 61_000;
        assertThat(l.offer(ONE, A, 0, later)).isEqualTo(ip("10.99.0.100"));
        assertThat(l.offer(ONE, B, 0, later + 1)).as("the address is offered to A").isZero();
        assertThat(l.refusal(ONE, A, ip("10.99.0.100"), later + 2)).isNull();
        assertThat(l.refusal(ONE, B, ip("10.99.0.100"), later + 2)).contains("leased to " + A);
    }

    @Test
    void aDeclinedAddressIsQuarantinedForAnHour() {
        Leases l = new Leases(List.of(ONE), 60);
        Lease q = l.decline(ip("10.99.0.100"), T0);
        assertThat(q.declined()).isTrue();
        assertThat(q.mac()).isNull();
        assertThat(l.offer(ONE, A, 0, T0 + Leases.QUARANTINE_MS - 1)).isZero();
        assertThat(l.refusal(ONE, A, ip("10.99.0.100"), T0 + 1)).contains("quarantined");
        assertThat(l.offer(ONE, A, 0, T0 + Leases.QUARANTINE_MS)).isEqualTo(ip("10.99.0.100"));
    }

    @Test
    void persistedLeasesAndQuarantinesAreRestored() {
        Pool two = Pool.parseRange("10.99.0.100-10.99.0.101", SERVER, 24, 0);
        Leases l = new Leases(List.of(two), 60);
        l.load(new Lease("10.99.0.101", A, Instant.ofEpochMilli(T0 + 30_000), false));
        l.load(new Lease("10.99.0.100", null, Instant.ofEpochMilli(T0 + 30_000), true));
        assertThat(l.addressOf(A)).isEqualTo(ip("10.99.0.101"));
        assertThat(l.offer(two, A, 0, T0)).isEqualTo(ip("10.99.0.101"));
        assertThat(l.offer(two, B, 0, T0)).isZero();
    }

    /** A pool written as a whole /24 (--pool 10.99.0.0-10.99.0.255) still never hands out .0 or .255. */
    @Test
    void theSubnetAndBroadcastAddressesAreNeverGiven() {
        Pool all = Pool.parseRange("10.99.0.0-10.99.0.255", SERVER, 24, 0);
        Leases l = new Leases(List.of(all), 60);
        assertThat(l.offer(all, A, ip("10.99.0.255"), T0)).as("requested broadcast address").isNotEqualTo(ip("10.99.0.255"));
        assertThat(l.offer(all, B, ip("10.99.0.0"), T0)).as("requested subnet address").isNotEqualTo(ip("10.99.0.0"));
        assertThat(l.refusal(all, A, ip("10.99.0.255"), T0)).isNotNull();
        assertThat(l.refusal(all, A, ip("10.99.0.0"), T0)).isNotNull();
    }

    @Test
    void theRelayPoolIsChosenByGiaddr() {
        Pool relay = Pool.parseRelayPool("10.50.0.0/16=10.50.1.10-10.50.1.20");
        Leases l = new Leases(List.of(ONE, relay), 60);
        assertThat(l.poolFor(0)).isEqualTo(ONE);
        assertThat(l.poolFor(ip("10.50.200.1"))).isEqualTo(relay);
        assertThat(l.poolFor(ip("10.99.0.254"))).as("a relay on the boot subnet itself").isEqualTo(ONE);
        assertThat(l.poolFor(ip("172.16.0.1"))).isNull();
    }
}
