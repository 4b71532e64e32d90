mod vrptw;
