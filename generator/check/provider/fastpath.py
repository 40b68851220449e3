"""placeholder"""
from generator.check.provider.schema import ProviderSchema
def install(schema: ProviderSchema) -> None:
    return None
