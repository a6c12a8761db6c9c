/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* userns-watch's version: --version, the records (ECS observer, OCSF product), the image tag. */
#ifndef UW_VERSION_H
#define UW_VERSION_H

#define UW_VERSION "0.1.0"

#endif
