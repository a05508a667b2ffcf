"""The ground floor: helpers every app may use. Imports none of our apps."""
