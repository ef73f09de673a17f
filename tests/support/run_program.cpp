#include "run_program.h"

#include <Poco/Pipe.h>
#include <Poco/PipeStream.h>
#include <Poco/Process.h>
#include <Poco/StreamCopier.h>

#include <thread>

namespace complaintd::testing {

RunResult runProgram(const std::string& program, const std::vector<std::string>& args) {
    Poco::Pipe outPipe, errPipe;
    auto handle = Poco::Process::launch(program, args, nullptr, &outPipe, &errPipe);
    Poco::PipeInputStream outStream(outPipe), errStream(errPipe);
    RunResult result;
    std::thread errReader([&] { Poco::StreamCopier::copyToString(errStream, result.err); });
    Poco::StreamCopier::copyToString(outStream, result.out);
    errReader.join();
    result.exitCode = handle.wait();
    return result;
}

}  // namespace complaintd::testing
