/work/main/userspace-tools/control.o: \
 /work/main/userspace-tools/control.c /work/main/userspace-tools/cli.h
/work/main/userspace-tools/cli.h:
