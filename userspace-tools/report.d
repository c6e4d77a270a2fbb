/work/main/userspace-tools/report.o: /work/main/userspace-tools/report.c \
 /work/main/userspace-tools/cli.h /work/main/userspace-tools/results.h
/work/main/userspace-tools/cli.h:
/work/main/userspace-tools/results.h:
