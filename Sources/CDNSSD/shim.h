// C shim for the DNS-SD API (Avahi's compatibility library on Linux, Bonjour on macOS).
// Only the WeMeetDiscovery target imports this module.
#ifndef WEMEET_CDNSSD_SHIM_H
#define WEMEET_CDNSSD_SHIM_H
#include <dns_sd.h>
#endif
