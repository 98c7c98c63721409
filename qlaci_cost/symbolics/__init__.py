"""symbolics"""
