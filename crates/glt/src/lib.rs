//! glassbox-glt: the Group Lasso Transformer (issue 3; not built yet).
