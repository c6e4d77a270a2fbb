/work/main/userspace-tools/debugfs.o: \
 /work/main/userspace-tools/debugfs.c /work/main/userspace-tools/cli.h
/work/main/userspace-tools/cli.h:
