"""The one function that decides a client's address: fuzzed peers and X-Real-IP values never
make it raise, and the header is believed only from a trusted proxy."""

from hypothesis import given, settings
from hypothesis import strategies as st

from protheus.common import addresses

PEERS = st.one_of(st.none(), st.ip_addresses().map(str), st.text(max_size=40))
HEADERS = st.one_of(st.none(), st.text(max_size=200), st.ip_addresses().map(str))


def test_a_header_is_believed_only_from_a_trusted_proxy(monkeypatch):
    monkeypatch.delenv("TRUSTED_PROXIES", raising=False)  # nobody is trusted
    addresses._proxies.cache_clear()

    @settings(max_examples=300, deadline=None)
    @given(peer=PEERS, real_ip=HEADERS)
    def never_believed(peer, real_ip):
        assert addresses.client_address(peer, real_ip) == peer

    never_believed()
    addresses._proxies.cache_clear()


def test_from_a_trusted_proxy_the_header_names_the_client_within_bounds(monkeypatch):
    monkeypatch.setenv("TRUSTED_PROXIES", "10.0.0.0/8")
    addresses._proxies.cache_clear()
    try:

        @settings(max_examples=200, deadline=None)
        @given(real_ip=st.text(min_size=1, max_size=500).filter(str.strip))
        def believed(real_ip):
            found = addresses.client_address("10.1.2.3", real_ip)
            assert found == real_ip.strip()[: addresses.ADDRESS_CHARS]

        believed()
        assert addresses.client_address("192.0.2.1", "203.0.113.7") == "192.0.2.1"
    finally:
        addresses._proxies.cache_clear()
