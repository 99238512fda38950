/* Unit tests of extension/core/common.c: error reports and handlers. */
#include "sr_common.h"
#include "sr_test.h"

#include <string.h>

static int	interrupts = 0;
static void count_interrupt(void) { interrupts++; }

static sr_status
fails_with_range(double v, sr_err *err)
{
	return sr_error(err, SR_ERANGE, "latitude %g is out of range", v);
}

int
main(void)
{
	sr_err		err;
	char	   *p;

	SR_TEST_BEGIN();
	sr_err_clear(&err);
	SR_CHECK(err.status == SR_OK && err.msg[0] == '\0', "cleared error is empty");

	SR_CHECK(fails_with_range(91, &err) == SR_ERANGE, "sr_error returns its status");
	SR_CHECK(strcmp(err.msg, "latitude 91 is out of range") == 0, "message is formatted");
	sr_error_detail(&err, "Latitude must be between -90 and 90.");
	sr_error_hint(&err, "Swap latitude and longitude?");
	SR_CHECK(strcmp(err.detail, "Latitude must be between -90 and 90.") == 0, "detail kept");
	SR_CHECK(strcmp(err.hint, "Swap latitude and longitude?") == 0, "hint kept");
	SR_CHECK(sr_error(NULL, SR_EINVAL, "x") == SR_EINVAL, "NULL err report is tolerated");

	p = sr_alloc0(64);
	SR_CHECK(p != NULL && p[0] == 0 && p[63] == 0, "sr_alloc0 zeroes");
	p = sr_realloc(p, 1 << 20);
	SR_CHECK(p != NULL, "sr_realloc grows");
	sr_free(p);
	sr_free(NULL);

	sr_check_interrupts();
	sr_set_handlers(NULL, NULL, NULL, count_interrupt);
	sr_check_interrupts();
	sr_check_interrupts();
	SR_CHECK(interrupts == 2, "installed interrupt handler is called");
	sr_set_handlers(NULL, NULL, NULL, NULL);
	sr_check_interrupts();
	SR_CHECK(interrupts == 2, "default interrupt handler restored");
	return SR_TEST_END();
}
