// The project's exception base. Expected per-message outcomes are values, not
// exceptions; these are for real failures a person has to act on.
#pragma once

#include <stdexcept>
#include <string>

namespace complaintd {

class Error : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// A configuration, rules, units or template file is wrong. The message names
// the file and the key or line. Executables exit 78 (EX_CONFIG) on it.
class ConfigError : public Error {
public:
    using Error::Error;
};

// Something asked for does not exist (a case number, a unit).
class NotFoundError : public Error {
public:
    using Error::Error;
};

// A request that the case rules refuse (e.g. rerouting to the same unit).
class InvalidRequestError : public Error {
public:
    using Error::Error;
};

// A person asked for what their roles (or the staff directory) do not allow; the message says
// what it needs.
class NotPermittedError : public InvalidRequestError {
public:
    using InvalidRequestError::InvalidRequestError;
};

}  // namespace complaintd
