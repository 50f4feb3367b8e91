"""The SSRF guard: monitoring fetches addresses that users and ingested posts supply, so it never reaches
private, loopback, link-local or otherwise internal targets unless the deployment allows it.

The check is made on the resolved addresses, not the host name, so a public name that resolves to an
internal address is refused too; callers connect to the address that was checked (see `resolve_public`).
"""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit


class BlockedAddress(Exception):
    """The target is internal and the guard is on. The message is Chinese and names the host."""


class UnresolvableHost(Exception):
    """The host name does not resolve."""


def _is_internal(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return (address.is_private or address.is_loopback or address.is_link_local or address.is_multicast
            or address.is_reserved or address.is_unspecified or not address.is_global)


def resolve(host: str, port: int) -> list[str]:
    """Every address `host` resolves to, in resolver order."""
    try:
        literal = ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        pass
    else:
        return [str(literal)]
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        raise UnresolvableHost(f"域名 {host} 无法解析") from error
    seen: list[str] = []
    for *_, sockaddr in infos:
        if sockaddr[0] not in seen:
            seen.append(sockaddr[0])
    return seen


def check_host(host: str, port: int, *, allow_private: bool) -> list[str]:
    """The host's addresses, or BlockedAddress when any of them is internal and that is not allowed.

    Any internal address refuses the whole name: a resolver answering with one public and one private
    address would otherwise let the connection land on the private one.
    """
    addresses = resolve(host, port)
    if not allow_private:
        for text in addresses:
            if _is_internal(ipaddress.ip_address(text.split("%", 1)[0])):
                raise BlockedAddress(f"目标 {host}（{text}）为内网、本机或保留地址，按安全策略不予访问")
    return addresses


def is_web_url(url: str) -> bool:
    """An http(s) address with a host, a usable port and no whitespace: the only links monitoring stores,
    follows or shows as links (anything else, javascript: included, stays text)."""
    if not isinstance(url, str) or any(char.isspace() for char in url):
        return False
    try:
        parts = urlsplit(url)
        return parts.scheme in ("http", "https") and bool(parts.hostname) and parts.port != 0
    except ValueError:  # "http://[x", a port that is not a number or out of range
        return False


def check_url(url: str, *, allow_private: bool) -> list[str]:
    """Check a URL's scheme and host; the addresses it may be fetched from."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise BlockedAddress(f"只支持 http 和 https 链接：{url[:200]}")
    if not parts.hostname:
        raise BlockedAddress(f"链接缺少主机名：{url[:200]}")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError as error:
        raise BlockedAddress(f"链接端口无效：{url[:200]}") from error
    return check_host(parts.hostname, port, allow_private=allow_private)
