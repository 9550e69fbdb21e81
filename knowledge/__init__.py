"""careerbot's core: settings, errors, schema, SQL, stores, retrieval and answering."""
