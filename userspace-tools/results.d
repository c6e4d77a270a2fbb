/work/main/userspace-tools/results.o: \
 /work/main/userspace-tools/results.c \
 /work/main/userspace-tools/../include/kvalab/workloads.h \
 /work/main/userspace-tools/cli.h /work/main/userspace-tools/results.h
/work/main/userspace-tools/../include/kvalab/workloads.h:
/work/main/userspace-tools/cli.h:
/work/main/userspace-tools/results.h:
