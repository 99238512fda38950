/* Unit tests of extension/core/function_labels.c: the labels a registered
 * function needs to keep its caller's promise. */
#include "sr_function_labels.h"
#include "sr_test.h"

#include <string.h>

int
main(void)
{
	const char	vols[] = "isv",
				pars[] = "sru";
	char		must[64],
				decl[64];
	int			kept = 0;

	SR_TEST_BEGIN();
	/* the match criteria: called by STABLE PARALLEL SAFE match_score */
	SR_CHECK(sr_labels_keep_promise('s', 's', 'i', 's'), "IMMUTABLE PARALLEL SAFE keeps STABLE PARALLEL SAFE");
	SR_CHECK(sr_labels_keep_promise('s', 's', 's', 's'), "STABLE PARALLEL SAFE keeps STABLE PARALLEL SAFE");
	SR_CHECK(!sr_labels_keep_promise('s', 's', 'v', 's'), "VOLATILE breaks STABLE");
	SR_CHECK(!sr_labels_keep_promise('s', 's', 's', 'r'), "PARALLEL RESTRICTED breaks PARALLEL SAFE");
	SR_CHECK(!sr_labels_keep_promise('s', 's', 's', 'u'), "PARALLEL UNSAFE breaks PARALLEL SAFE");
	/* the maturity plugins: called by STABLE PARALLEL UNSAFE readers */
	SR_CHECK(sr_labels_keep_promise('s', 'u', 's', 'u'), "STABLE PARALLEL UNSAFE keeps STABLE PARALLEL UNSAFE");
	SR_CHECK(sr_labels_keep_promise('s', 'u', 'i', 'r'), "IMMUTABLE PARALLEL RESTRICTED keeps STABLE PARALLEL UNSAFE");
	SR_CHECK(!sr_labels_keep_promise('s', 'u', 'v', 's'), "VOLATILE PARALLEL SAFE breaks STABLE PARALLEL UNSAFE");
	/* an IMMUTABLE caller asks IMMUTABLE; a VOLATILE PARALLEL UNSAFE one asks nothing */
	SR_CHECK(!sr_labels_keep_promise('i', 's', 's', 's'), "STABLE breaks IMMUTABLE");
	SR_CHECK(sr_labels_keep_promise('v', 'u', 'v', 'u'), "anything keeps VOLATILE PARALLEL UNSAFE");
	/* unknown letters keep nothing */
	SR_CHECK(!sr_labels_keep_promise('s', 'u', 'x', 'u'), "unknown volatility refused");
	SR_CHECK(!sr_labels_keep_promise('s', 'u', 's', '?'), "unknown parallel safety refused");
	SR_CHECK(!sr_labels_keep_promise('?', 'u', 'i', 's'), "unknown caller label refused");

	/* the rule by brute force over the 9 x 9 pairs: kept exactly when both
	 * ranks (i<s<v, s<r<u) are no higher than the caller's: sum over the
	 * caller's ranks (cv+1)(cp+1) = (1+2+3)^2 = 36 pairs */
	for (int cv = 0; cv < 3; cv++)
		for (int cp = 0; cp < 3; cp++)
			for (int v = 0; v < 3; v++)
				for (int p = 0; p < 3; p++)
				{
					bool		k = sr_labels_keep_promise(vols[cv], pars[cp], vols[v], pars[p]);

					kept += k;
					if (k != (v <= cv && p <= cp))
						SR_CHECK(false, "brute force agrees");
				}
	SR_CHECK(kept == 36, "36 of the 81 label pairs keep the promise");

	/* the words of the messages (matching.c's since 25493ff) */
	sr_labels_required('s', 's', must, sizeof must, decl, sizeof decl);
	SR_CHECK(strcmp(must, "STABLE or IMMUTABLE and PARALLEL SAFE") == 0, "criterion's requirement in words");
	SR_CHECK(strcmp(decl, "STABLE PARALLEL SAFE") == 0, "criterion's declaration");
	sr_labels_required('s', 'u', must, sizeof must, decl, sizeof decl);
	SR_CHECK(strcmp(must, "STABLE or IMMUTABLE") == 0, "plugin's requirement in words");
	SR_CHECK(strcmp(decl, "STABLE") == 0, "plugin's declaration");
	sr_labels_required('v', 'r', must, sizeof must, decl, sizeof decl);
	SR_CHECK(strcmp(must, "PARALLEL SAFE or RESTRICTED") == 0, "parallel only");
	SR_CHECK(strcmp(decl, "PARALLEL RESTRICTED") == 0, "parallel declaration only");
	sr_labels_required('v', 'u', must, sizeof must, decl, sizeof decl);
	SR_CHECK(must[0] == '\0' && decl[0] == '\0', "nothing asked of a VOLATILE PARALLEL UNSAFE caller's callee");
	sr_labels_required('s', 's', must, 8, decl, 4);
	SR_CHECK(strlen(must) == 7 && strlen(decl) == 3, "truncated, never overflowing");

	SR_CHECK(strcmp(sr_volatility_name('v'), "VOLATILE") == 0 && strcmp(sr_parallel_name('r'), "RESTRICTED") == 0,
			 "letters by name");
	SR_CHECK(strcmp(sr_volatility_name('x'), "unknown") == 0, "unknown letter named so");
	return SR_TEST_END();
}
