/* lock.c - one sync of a replica at a time.
 *
 * The workstation syncs in the background while an officer may run
 * `rcms sync` (or a second `rcms sync --watch`) on the same replica: two
 * engines would send the same operations twice (the exchange answers the
 * second copy as duplicates), pull the same pages twice and write the
 * same download part, whose hash then fails.  An advisory lock on
 * DATA_DIR/sync.lock keeps them apart; the kernel lets it go when the
 * process ends, however it ends, so a killed sync never leaves it held. */
#include "sync/sync.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

int sync_lock_take(const char *data_dir, struct rcms_err *err)
{
	char path[4200];
	int fd;

	snprintf(path, sizeof(path), "%s/sync.lock", data_dir);
	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0) {
		rcms_err_set(err, RCMS_ERR_IO, NULL,
			     "cannot open %s: %s", path, strerror(errno));
		return -1;
	}
	if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
		int e = errno;
		close(fd);
		if (e == EWOULDBLOCK)
			rcms_err_set(err, RCMS_ERR_BUSY, NULL,
				     "another sync of this workstation is "
				     "running (the workstation's own, in the "
				     "background, or another rcms sync); "
				     "nothing was done: try again when it "
				     "has ended");
		else
			rcms_err_set(err, RCMS_ERR_IO, NULL,
				     "cannot lock %s: %s", path, strerror(e));
		return -1;
	}
	return fd;
}

void sync_lock_drop(int fd)
{
	if (fd >= 0)
		close(fd);   /* the lock goes with the descriptor */
}
