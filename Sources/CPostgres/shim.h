#ifndef CPostgres_SHIM_H
#define CPostgres_SHIM_H
#include <libpq-fe.h>

/* What Swift cannot call directly: the diagnostic field codes are character-literal macros
   (postgres_ext.h), which Swift does not import. */

/* The SQLSTATE of a failed result (five characters, e.g. "40P01"), or NULL. */
static inline const char *bls_pq_sqlstate(const PGresult *result) {
  return PQresultErrorField(result, PG_DIAG_SQLSTATE);
}

/* The primary message of a failed result, without libpq's "ERROR:  " prefix, or NULL. */
static inline const char *bls_pq_primary_message(const PGresult *result) {
  return PQresultErrorField(result, PG_DIAG_MESSAGE_PRIMARY);
}

#endif
