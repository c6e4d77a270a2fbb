/work/main/userspace-tools/csv.o: /work/main/userspace-tools/csv.c \
 /work/main/userspace-tools/results.h
/work/main/userspace-tools/results.h:
