#ifndef REGUA_CZLIB_SHIM_H
#define REGUA_CZLIB_SHIM_H
#include <zlib.h>
#endif
