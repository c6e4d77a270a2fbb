/work/main/userspace-tools/run.o: /work/main/userspace-tools/run.c \
 /work/main/userspace-tools/cli.h /work/main/userspace-tools/results.h
/work/main/userspace-tools/cli.h:
/work/main/userspace-tools/results.h:
