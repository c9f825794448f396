// C shim for libsodium. Only the WeMeetCrypto target imports this module.
#ifndef WEMEET_CSODIUM_SHIM_H
#define WEMEET_CSODIUM_SHIM_H
#include <sodium.h>
#endif
