/work/main/userspace-tools/svg.o: /work/main/userspace-tools/svg.c \
 /work/main/userspace-tools/results.h
/work/main/userspace-tools/results.h:
