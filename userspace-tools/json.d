/work/main/userspace-tools/json.o: /work/main/userspace-tools/json.c \
 /work/main/userspace-tools/cli.h /work/main/userspace-tools/results.h
/work/main/userspace-tools/cli.h:
/work/main/userspace-tools/results.h:
