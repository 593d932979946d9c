#ifndef REGUA_CLIBYAML_SHIM_H
#define REGUA_CLIBYAML_SHIM_H
#include <yaml.h>
#endif
