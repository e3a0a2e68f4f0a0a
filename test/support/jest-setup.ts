// Integration suites talk to real servers (and start processes); jest only honours a timeout
// per project when it is set from inside the test environment.
jest.setTimeout(60_000);
